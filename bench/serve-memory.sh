#!/usr/bin/env bash
# Memory of a real `apr serve` process under sustained load (issue 13: "memory over a 10-minute load
# levels off; report the curve"). CLIENTS clients loop for MINUTES minutes: all but one post greedy chat
# requests (the reasoner: a problem of bench/results/eval/val-problems.jsonl each, cycling), one posts
# /v1/completions at temperature 1 (the plain model and its prefix cache). The server's resident memory
# (VmRSS of its process) and the answered requests are sampled every SAMPLE seconds.
# Writes bench/results/serving-memory.json (the samples and a summary) and prints the curve.
# Usage: MINUTES=10 CLIENTS=8 bench/serve-memory.sh     (needs curl; the server runs the shipped models)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=${MINUTES:-10}; clients=${CLIENTS:-8}; sample=${SAMPLE:-10}; port=${PORT:-18611}; threads=${THREADS:-1}
out="$root/bench/results/serving-memory.json"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$root/apr" serve --port "$port" --threads "$threads" >"$work/server.log" 2>&1 &
launcher=$!
for _ in $(seq 1 300); do curl -sf "localhost:$port/health" >/dev/null 2>&1 && break; sleep 1; done
curl -sf "localhost:$port/health" >/dev/null || { echo "serve-memory: the server did not start (see below)"; cat "$work/server.log"; exit 1; }
# ./apr execs dotnet, so the launcher's pid is the server's
server=$launcher

problems="$root/bench/results/eval/val-problems.jsonl"
count=$(wc -l <"$problems")
end=$(( $(date +%s) + minutes * 60 ))
chat_client() {
  local i=$1 n=0 line target nums
  while [ "$(date +%s)" -lt "$end" ]; do
    line=$(sed -n "$(( (i * 131 + n) % count + 1 ))p" "$problems")
    target=$(sed -E 's/.*"target":([0-9]+).*/\1/' <<<"$line")
    nums=$(sed -E 's/.*"nums":(\[[0-9, ]+\]).*/\1/' <<<"$line")
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 900 "localhost:$port/v1/chat/completions" -H 'content-type: application/json' \
      -d "{\"model\":\"apr\",\"seed\":$n,\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"target\\\":$target,\\\"nums\\\":$nums}\"}]}" >>"$work/chat.codes" || echo 000 >>"$work/chat.codes"
    n=$((n + 1))
  done
}
completion_client() {
  local n=0
  while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 900 "localhost:$port/v1/completions" -H 'content-type: application/json' \
      -d "{\"model\":\"apr\",\"prompt\":\"Moving to Node #0\\nCurrent State: 27:[22, 26, 31, 53], Operations: []\\n\",\"max_tokens\":128,\"temperature\":1,\"seed\":$n}" >>"$work/completion.codes" || echo 000 >>"$work/completion.codes"
    n=$((n + 1))
  done
}
for i in $(seq 1 $((clients - 1))); do chat_client "$i" & done
completion_client &

start=$(date +%s)
echo "t_s rss_mib chat_answers completion_answers"
: >"$work/samples"
while [ "$(date +%s)" -lt "$end" ]; do
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
  chats=$(grep -c '^200$' "$work/chat.codes" 2>/dev/null || true)
  comps=$(grep -c '^200$' "$work/completion.codes" 2>/dev/null || true)
  echo "$(( $(date +%s) - start )) $rss ${chats:-0} ${comps:-0}" | tee -a "$work/samples"
  sleep "$sample"
done
for j in $(jobs -pr); do [ "$j" = "$server" ] || wait "$j" 2>/dev/null || true; done
bad=$(cat "$work"/*.codes | grep -vc '^200$' || true)

python3 - "$work/samples" "$out" "$minutes" "$clients" "$threads" "${bad:-0}" <<'PY'
import json, sys
path, out, minutes, clients, threads, bad = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
rows = [line.split() for line in open(path) if line.strip()]
samples = [{"t_s": int(t), "rss_mib": float(r), "chat_answers": int(c), "completion_answers": int(k)} for t, r, c, k in rows]
rss = [s["rss_mib"] for s in samples]
half = len(rss) // 2
summary = {
    "command": f"MINUTES={minutes} CLIENTS={clients} THREADS={threads} bench/serve-memory.sh",
    "minutes": minutes, "clients": clients, "threads": threads,
    "rss_mib_first": rss[0], "rss_mib_max": max(rss), "rss_mib_last": rss[-1],
    "rss_mib_max_first_half": max(rss[:half]) if half else None, "rss_mib_max_second_half": max(rss[half:]) if half else None,
    "chat_answers": samples[-1]["chat_answers"], "completion_answers": samples[-1]["completion_answers"], "non_200_answers": bad,
}
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump({"summary": summary, "samples": samples}, f, indent=1)
    f.write("\n")
import os
os.replace(tmp, out)
print(json.dumps(summary, indent=1))
PY
