#!/usr/bin/env python3
"""How well a policy ranks successors: read `apr eval --traces` records of APR runs and, for every call that starts
at a node from which the target can still be reached, check whether its first K explored operations (K = 2, the
width-capped trees' beam) include one whose result can still reach the target. A perfect ranking scores 100%; the
width-capped symbolic trees score what their heuristic does. Separate figures for the root (level 0) and for
children (level 1+). Independent of the C# code: reachability is brute force here.

    python3 bench/ranking.py runs/eval/X/records/apr-model-told-b16000.jsonl [more.jsonl ...] [--k 2] [--json out.json]

--by-size: inside the children (level 1+), every expansion of a node that can still reach the target, by the node's size
(numbers left): do the successors the thread explores there include one that can? And of the children that start at
a node that can reach the target, how many solve it. That locates where a width-capped tree's children lose a
reachable problem (records of `apr eval --symbolic-trees` / `--ranker` runs with --traces).
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


def by_size(path):
    expansions, started, solved = {}, 0, 0
    for line in open(path):
        r = json.loads(line)
        for t in r["threads"]:
            if t["level"] == 0 or "prompt" not in t:
                continue
            text = t["prompt"] + t["completion"]
            states = list(STATE.finditer(text))
            if t.get("call", 0) == 0 and states:
                start = states[0]
                if reachable(int(start.group(1)), nums_of(start.group(2))):
                    started += 1
                    solved += t["outcome"] == "solved"
            for i, m in enumerate(states):
                target, nums = int(m.group(1)), nums_of(m.group(2))
                if len(nums) < 2 or not reachable(target, nums):
                    continue
                seg = text[m.end():states[i + 1].start() if i + 1 < len(states) else len(text)]
                good = any(reachable(target, nums_of(e.group(1))) for e in EXPLORE.finditer(seg))
                c = expansions.setdefault(len(nums), [0, 0])
                c[0] += good
                c[1] += 1
    return {"children": {"calls": started, "solved": solved, "share": round(100 * solved / started, 1) if started else None},
            "expansions": {n: {"good": g, "expansions": k, "share": round(100 * g / k, 1)} for n, (g, k) in sorted(expansions.items(), reverse=True)}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records", nargs="+")
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--by-size", action="store_true")
    args = ap.parse_args()
    out = {}
    for path in args.records:
        if args.by_size:
            out[path] = by_size(path)
            sizes = ", ".join(f"{n} numbers {v['share']}% of {v['expansions']}" for n, v in out[path]["expansions"].items())
            c = out[path]["children"]
            print(f"{path}: children that start where the target can be reached solve it {c['share']}% of {c['calls']}; expansions there: {sizes}")
            continue
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
