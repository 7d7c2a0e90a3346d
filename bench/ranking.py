#!/usr/bin/env python3
"""How well a policy ranks successors: read `apr eval --traces` records of APR runs and, for every call that starts
at a node from which the target can still be reached, check whether its first K explored operations (K = 2, the
width-capped trees' beam) include one whose result can still reach the target. A perfect ranking scores 100%; the
width-capped symbolic trees score what their heuristic does. Separate figures for the root (level 0) and for
children (level 1+). Independent of the C# code: reachability is brute force here.

    python3 bench/ranking.py runs/eval/X/records/apr-model-told-b16000.jsonl [more.jsonl ...] [--k 2] [--json out.json]
"""
import argparse
import json
import re
import sys
from functools import lru_cache

STATE = re.compile(r"Current State: (\d+):\[([^\]]*)\]")
EXPLORE = re.compile(r"Exploring Operation: [^,]*, Resulting Numbers: \[([^\]]*)\]")


def nums_of(text):
    return tuple(sorted(int(x) for x in text.split(",") if x.strip()))


@lru_cache(maxsize=None)
def reachable(target, nums):
    """Can the numbers (each used once, + - * and exact /, non-negative intermediates as in Countdown) make target?"""
    if len(nums) == 1:
        return nums[0] == target
    for i in range(len(nums)):
        for j in range(len(nums)):
            if i == j:
                continue
            a, b = nums[i], nums[j]
            rest = [nums[k] for k in range(len(nums)) if k not in (i, j)]
            outs = [a + b, a * b]
            if a >= b:
                outs.append(a - b)
            if a >= b and b != 0 and a % b == 0:
                outs.append(a // b)
            for r in outs:
                if reachable(target, tuple(sorted(rest + [r]))):
                    return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records", nargs="+")
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    out = {}
    for path in args.records:
        counts = {"root": [0, 0], "child": [0, 0]}
        for line in open(path):
            r = json.loads(line)
            for t in r["threads"]:
                if t.get("call", 0) != 0 or "prompt" not in t:
                    continue
                m = STATE.search(t["prompt"])
                if not m:
                    continue
                target, nums = int(m.group(1)), nums_of(m.group(2))
                if len(nums) < 2 or not reachable(target, nums):
                    continue
                first = [nums_of(e.group(1)) for e in EXPLORE.finditer(t["completion"])][: args.k]
                good = any(reachable(target, n) for n in first)
                c = counts["root" if t["level"] == 0 else "child"]
                c[0] += good
                c[1] += 1
        out[path] = {k: {"good": g, "calls": n, "share": round(100 * g / n, 1) if n else None} for k, (g, n) in counts.items()}
        print(f"{path}: root {out[path]['root']['share']}% of {counts['root'][1]}, children {out[path]['child']['share']}% of {counts['child'][1]} (first {args.k} explored include a reachable successor)")
    if args.json:
        json.dump(out, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
