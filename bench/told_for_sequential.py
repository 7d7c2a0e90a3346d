#!/usr/bin/env python3
"""Which budget to tell a budget-aware model when what matters is sequential tokens (latency), chosen on validation.

The model reads only a total-token budget. For each sequential-token cap S, this picks the told budget B whose records
solve the most VALIDATION problems within S sequential tokens (ties: the smaller B, the cheaper), then reports that
B's accuracy within S on the TEST records. Accuracy within a cap as bench/paired.py counts it (correct, sequential
tokens <= S, every call within the context). Paired tests against the trees: bench/told_paired.py --sequential-told B.

    python3 bench/told_for_sequential.py VAL_DIR TEST_DIR --told 1000,2000,4000,8000,16000 [--caps 1500,2000,3000] [--json out.json]

VAL_DIR and TEST_DIR are `apr eval` output directories holding records/apr-model-told-b{B}.jsonl for every B of --told.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import load, solved  # noqa: E402


def records(run_dir, told):
    path = os.path.join(run_dir, "records", f"apr-model-told-b{told}.jsonl")
    try:
        return list(load(path).values())
    except OSError as e:
        sys.exit(f"error: cannot read {path}: {e}")


def accuracy(runs, cap, context):
    return 100.0 * sum(solved(r, cap, context, "sequential") for r in runs) / len(runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("val")
    ap.add_argument("test")
    ap.add_argument("--told", required=True, help="the told budgets run, comma-separated")
    ap.add_argument("--caps", default="1500,2000,3000")
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument("--json")
    args = ap.parse_args()
    told = sorted(int(b) for b in args.told.split(","))
    val_runs = {b: records(args.val, b) for b in told}   # each file read once, whatever the number of caps
    test_runs = {}
    rows = []
    for cap in (int(c) for c in args.caps.split(",")):
        val = {b: accuracy(val_runs[b], cap, args.context) for b in told}
        best = max(told, key=lambda b: (val[b], -b))
        if best not in test_runs:
            test_runs[best] = records(args.test, best)
        test = accuracy(test_runs[best], cap, args.context)
        rows.append({"sequential_cap": cap, "told": best, "validation": round(val[best], 2), "test": round(test, 2),
                     "validation_by_told": {str(b): round(v, 2) for b, v in val.items()}})
        print(f"sequential <= {cap:,}: tell {best:,} (validation {val[best]:.1f}%; "
              + ", ".join(f"{b:,}: {v:.1f}" for b, v in val.items()) + f") -> test {test:.1f}%")
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"val": args.val, "test": args.test, "context": args.context, "rows": rows}, f, indent=2)
            f.write("\n")
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
