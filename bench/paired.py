#!/usr/bin/env python3
"""Paired comparison of two policies on the same problems, per cap: read two `apr eval` records files (one sample per
problem) and, at each total-token cap, count the problems only A solves within it and those only B solves, with a
two-sided exact sign test on those discordant problems. A problem counts as solved within a cap as the frontier counts
it: correct, total tokens <= cap, and every call within the context (max_call_tokens <= --context). Per cap it also
gives, over the problems both solve, each side's mean total and sequential tokens (what the solved answers cost, paired),
and how many of each side's records nest (a thread at level 2 or deeper: a child that spawned; `--depth 2` runs).

    python3 bench/paired.py A.jsonl B.jsonl [--caps 1000,2000,4000,8000,16000] [--kind total|sequential] [--context 2048] [--json out.json]

With --kind sequential the caps are on sequential tokens (the longest chain of calls) instead of total tokens.

A path may hold `{cap}`: each cap then reads its own file (a model told its budget runs once per budget:
`.../records/apr-model-told-b{cap}.jsonl`).
"""
import argparse
import json
import os
import sys
from math import comb


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in out:
                sys.exit(f"error: {path} holds more than one sample of {r['id']}: give one greedy run per file")
            out[r["id"]] = r
    return out


def solved(r, cap, context, kind="total"):
    """Solved within the cap as the frontier counts it: correct, total (or sequential) tokens <= cap, every call within the context."""
    return r["correct"] and r[f"{kind}_tokens"] <= cap and r["max_call_tokens"] <= context


def sign_test(a, b):
    n, k = a + b, min(a, b)
    if n == 0:
        return 1.0
    return min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)


def compare(a, b, cap, context, kind="total"):
    """Paired counts at one cap (on total or sequential tokens) over the problems both record sets hold:
    (ids, solved by a, by b, only a, only b, p, the ids both solve)."""
    ids = sorted(set(a) & set(b))
    if not ids:
        sys.exit("error: the two record sets share no problem ids")
    ok = [(solved(a[i], cap, context, kind), solved(b[i], cap, context, kind)) for i in ids]
    only_a = sum(x and not y for x, y in ok)
    only_b = sum(y and not x for x, y in ok)
    both = [i for i, (x, y) in zip(ids, ok) if x and y]
    return ids, sum(x for x, _ in ok), sum(y for _, y in ok), only_a, only_b, sign_test(only_a, only_b), both


def nests(r):
    """A record nests when one of its threads is at level 2 or deeper (a child spawned grandchildren)."""
    return any(t.get("level", 0) >= 2 for t in r.get("threads") or [])


def costs(a, b, both):
    """Over the problems both solve (ids from compare): (count, mean total A, B, mean sequential A, B); the means are None when none."""
    mean = lambda rs, k: round(sum(r[k] for r in rs) / len(rs), 1) if rs else None
    ra, rb = [a[i] for i in both], [b[i] for i in both]
    return len(both), mean(ra, "total_tokens"), mean(rb, "total_tokens"), mean(ra, "sequential_tokens"), mean(rb, "sequential_tokens")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--caps", default="1000,2000,4000,8000,16000")
    ap.add_argument("--kind", choices=["total", "sequential"], default="total", help="what the caps bound: total or sequential tokens")
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument("--json")
    args = ap.parse_args()
    try:
        caps = [int(c) for c in args.caps.split(",")]
    except ValueError:
        sys.exit(f"error: --caps must be comma-separated integers, got '{args.caps}'")
    rows = []
    for cap in caps:
        try:
            a, b = load(args.a.replace("{cap}", str(cap))), load(args.b.replace("{cap}", str(cap)))
        except (OSError, json.JSONDecodeError, KeyError) as e:
            sys.exit(f"error: cannot read the records: {e}")
        ids, sa, sb, only_a, only_b, p, both_ids = compare(a, b, cap, args.context, args.kind)
        both, ta, tb, qa, qb = costs(a, b, both_ids)
        na, nb = sum(nests(a[i]) for i in ids), sum(nests(b[i]) for i in ids)
        rows.append({"cap": cap, "a": round(100 * sa / len(ids), 1), "b": round(100 * sb / len(ids), 1), "only_a": only_a, "only_b": only_b, "sign_test_p": round(p, 4),
                     "both_solved": both, "a_mean_total_tokens": ta, "b_mean_total_tokens": tb, "a_mean_sequential_tokens": qa, "b_mean_sequential_tokens": qb,
                     "a_nested": na, "b_nested": nb})
        print(f"{cap:>7,}: A {100 * sa / len(ids):5.1f}%  B {100 * sb / len(ids):5.1f}%  only A {only_a:4d}  only B {only_b:4d}  p = {p:.3f}"
              f"  | both solve {both}: total A {ta} B {tb}, sequential A {qa} B {qb} | nested A {na} B {nb}")
    print(f"{len(ids)} problems; A = {args.a}, B = {args.b}")
    if args.json:
        with open(args.json + ".tmp", "w") as f:  # written whole, then renamed: an interrupted run leaves the old file
            json.dump({"a": args.a, "b": args.b, "kind": args.kind, "problems": len(ids), "context": args.context, "caps": rows}, f, indent=2)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
