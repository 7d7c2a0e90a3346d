#!/usr/bin/env python3
"""One policy per side that reads its budget, its shape chosen on validation problems: at each cap, the width-capped
tree (one `apr eval` records file) that solved the most validation problems within that cap, read on the test problems.
The README's "best tree per cap" picks each cap's tree on the test problems themselves, which flatters both sides; this
picks it where the test cannot see, once for the no-learning trees (the heuristic's ranking, files apr-symbolic*) and
once for the learned ranking (apr-ranked-*), and sets the two against each other per cap with the exact sign test of
bench/paired.py (problems only one side solves within the cap). A problem counts as the frontier counts it: correct,
within the cap (total or sequential tokens), every call within the context.

    python3 bench/by_budget.py --val runs/eval/val-4 --test runs/eval/ranked-4 --caps 1000,2000,4000,8000,16000 \
        [--seq-caps 1500,2000,3000] [--learned-val DIR --learned-test DIR] [--context 2048] [--json out.json]

--learned-val / --learned-test: where the learned side's records are when they are not beside the no-learning ones
(a second ranker run on the same problems). Ties on validation go to the tree with fewer mean total tokens there.
The no-learning side is every apr-symbolic* tree in the records, the exact-check trees of `apr eval --exact-upto N`
(apr-symbolic-*xN) included; --heuristic-only leaves those out (the heuristic's ranking alone). --no-learned: the
no-learning side alone (records of no ranked tree; no pairing).
"""
import argparse
import json
import os
import re
import sys

from paired import load, sign_test, solved

BASELINE, LEARNED = "apr-symbolic", "apr-ranked-"


def family(directory, prefix, heuristic_only=False):
    folder = os.path.join(directory, "records")
    if not os.path.isdir(folder):
        sys.exit(f"error: '{directory}' has no records/ folder (give the --out folder of an `apr eval` run)")
    names = sorted(f[:-len(".jsonl")] for f in os.listdir(folder) if f.startswith(prefix) and f.endswith(".jsonl"))
    if heuristic_only:
        names = [n for n in names if not re.search(r"x\d+$", n)]
    return {n: os.path.join(folder, n + ".jsonl") for n in names}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--val", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--learned-val")
    ap.add_argument("--learned-test")
    ap.add_argument("--caps", default="1000,2000,4000,8000,16000")
    ap.add_argument("--seq-caps", default="")
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument("--json")
    ap.add_argument("--heuristic-only", action="store_true")
    ap.add_argument("--no-learned", action="store_true")
    args = ap.parse_args()
    try:
        caps = [("total", int(c)) for c in args.caps.split(",") if c] + [("sequential", int(c)) for c in args.seq_caps.split(",") if c]
    except ValueError:
        sys.exit(f"error: --caps and --seq-caps must be comma-separated integers, got '{args.caps}' and '{args.seq_caps}'")

    def side(prefix, val_dir, test_dir):
        val, test = family(val_dir, prefix, args.heuristic_only), family(test_dir, prefix, args.heuristic_only)
        shared = sorted(set(val) & set(test))
        if not shared:
            sys.exit(f"error: no {prefix}* records in both '{val_dir}' and '{test_dir}'")
        try:
            return {n: (load(val[n]), load(test[n])) for n in shared}
        except (OSError, json.JSONDecodeError, KeyError) as e:
            sys.exit(f"error: cannot read the records: {e}")

    sides = {"no-learning": side(BASELINE, args.val, args.test)}
    if not args.no_learned:
        sides["learned"] = side(LEARNED, args.learned_val or args.val, args.learned_test or args.test)

    def ok(r, kind, cap):
        return solved(r, cap, args.context, kind)

    def accuracy(records, kind, cap):
        return sum(ok(r, kind, cap) for r in records.values()) / len(records)

    def mean_tokens(records):
        return sum(r["total_tokens"] for r in records.values()) / len(records)

    test_ids = None
    for trees in sides.values():
        for _, test in trees.values():
            test_ids = set(test) if test_ids is None else test_ids & set(test)
    if not test_ids:
        sys.exit("error: the test records share no problem ids")
    test_ids = sorted(test_ids)
    val_sizes = {len(val) for trees in sides.values() for val, _ in trees.values()}

    rows = []
    for kind, cap in caps:
        row = {"kind": kind, "cap": cap}
        chosen = {}
        for name, trees in sides.items():
            pick = max(trees, key=lambda n: (accuracy(trees[n][0], kind, cap), -mean_tokens(trees[n][0]), n))
            best = max(trees, key=lambda n: (sum(ok(trees[n][1][i], kind, cap) for i in test_ids), n))
            chosen[name] = trees[pick][1]
            row[name] = {"tree": pick, "validation": round(100 * accuracy(trees[pick][0], kind, cap), 1),
                         "test": round(100 * sum(ok(trees[pick][1][i], kind, cap) for i in test_ids) / len(test_ids), 1),
                         "best_on_test": best,
                         "best_on_test_accuracy": round(100 * sum(ok(trees[best][1][i], kind, cap) for i in test_ids) / len(test_ids), 1)}
        if args.no_learned:
            rows.append(row)
            n = row["no-learning"]
            print(f"{kind:>10} <= {cap:>6,}: no-learning {n['tree']:<22} {n['test']:5.1f}% (val {n['validation']:5.1f})")
            continue
        a, b = chosen["learned"], chosen["no-learning"]
        only_a = sum(ok(a[i], kind, cap) and not ok(b[i], kind, cap) for i in test_ids)
        only_b = sum(ok(b[i], kind, cap) and not ok(a[i], kind, cap) for i in test_ids)
        row.update(only_learned=only_a, only_no_learning=only_b, sign_test_p=round(sign_test(only_a, only_b), 4))
        rows.append(row)
        l, n = row["learned"], row["no-learning"]
        print(f"{kind:>10} <= {cap:>6,}: learned {l['tree']:<22} {l['test']:5.1f}% (val {l['validation']:5.1f})   "
              f"no-learning {n['tree']:<22} {n['test']:5.1f}% (val {n['validation']:5.1f})   "
              f"only learned {only_a:4d}  only no-learning {only_b:4d}  p = {row['sign_test_p']:.3f}")
    print(f"{len(test_ids)} test problems, {'/'.join(str(v) for v in sorted(val_sizes))} validation problems")
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({"val": args.val, "test": args.test, "learned_val": args.learned_val, "learned_test": args.learned_test,
                       "heuristic_only": args.heuristic_only,
                       "test_problems": len(test_ids), "validation_problems": sorted(val_sizes), "context": args.context, "caps": rows}, f, indent=2)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
