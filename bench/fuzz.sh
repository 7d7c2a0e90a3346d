#!/usr/bin/env bash
# The long input-fuzzing run (issue 16): every CsCheck fuzz property of the readers at 100,000 inputs
# (APR_FUZZ_ITER; the tokenizer-file property runs a tenth, the record and safetensors properties a quarter: each input is
# large), per test project; prints the outcome and writes bench/results/fuzz.json. Usage: bench/fuzz.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
dotnet build Apr.slnx -nologo -v q >/dev/null
out=$(mktemp)
for p in Data Protocol Tokenization Inference Training; do
  start=$(date +%s.%N)
  if APR_FUZZ_ITER="$n" dotnet test "tests/Apr.$p.Tests" --no-build -nologo --filter "FullyQualifiedName~Fuzz" > "$out.$p" 2>&1; then ok=true; else ok=false; fi
  end=$(date +%s.%N)
  summary=$(grep -E "^(Passed|Failed)!" "$out.$p" | head -1)
  echo "Apr.$p.Tests: $summary"
  printf '%s\t%s\t%s\t%s\n' "$p" "$ok" "$(echo "$end - $start" | bc)" "$summary" >> "$out"
done
python3 - "$out" "$n" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
result = {"inputs_per_property": int(sys.argv[2]), "projects": [
    {"project": f"Apr.{p}.Tests", "passed": ok == "true", "seconds": round(float(s), 1), "summary": summ} for p, ok, s, summ in rows]}
json.dump(result, open("bench/results/fuzz.json", "w"), indent=2)
print("wrote bench/results/fuzz.json")
PY
