#!/usr/bin/env python3
"""A model told its budget against the trees of bench/by_budget.py, cap by cap, paired on the same problems.

For each total-token cap of a by-budget file (bench/results/eval/by-budget/*.json: per cap, the no-learning tree and the
learned (ranked) tree chosen on validation problems), reads the model's records told that budget
(MODEL_DIR/records/apr-model-told-b{cap}.jsonl) and the chosen tree's records (TREES_DIR/records/{tree}.jsonl), and
prints both accuracies, the problems only one side solves within the cap and the exact sign test (bench/paired.py).

With --sequential-told B it also reads the file's sequential-token caps (and the trees chosen for them), the model's
records told B standing for it at every sequential cap (a problem counts when solved within that many sequential tokens).

    python3 bench/told_paired.py MODEL_DIR TREES_DIR BY_BUDGET.json [BY_BUDGET.json ...] [--sequential-told B] [--context 2048] [--json out.json]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import compare, load  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("trees")
    ap.add_argument("by_budget", nargs="+")
    ap.add_argument("--sequential-told", type=int)
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument("--json")
    args = ap.parse_args()
    kinds = ("total", "sequential") if args.sequential_told else ("total",)
    rows = []
    for path in args.by_budget:
        try:
            with open(path) as f:
                caps = [c for c in json.load(f)["caps"] if c["kind"] in kinds]
        except (OSError, json.JSONDecodeError, KeyError) as e:
            sys.exit(f"error: cannot read the by-budget file {path}: {e}")
        for c in caps:
            cap, kind = c["cap"], c["kind"]
            told = cap if kind == "total" else args.sequential_told
            for side in ("no-learning", "learned"):
                if side not in c:
                    continue  # a by-budget file of the no-learning side alone (by_budget.py --no-learned)
                tree = c[side]["tree"]
                if any(r["kind"] == kind and r["cap"] == cap and r["tree"] == tree for r in rows):
                    continue
                try:
                    a = load(os.path.join(args.model, "records", f"apr-model-told-b{told}.jsonl"))
                    b = load(os.path.join(args.trees, "records", f"{tree}.jsonl"))
                except (OSError, json.JSONDecodeError, KeyError) as e:
                    sys.exit(f"error: cannot read the records: {e}")
                ids, sa, sb, only_a, only_b, p, _ = compare(a, b, cap, args.context, kind)
                rows.append({"kind": kind, "told": told, "cap": cap, "tree": tree, "side": side, "problems": len(ids), "model": round(100 * sa / len(ids), 1),
                             "tree_accuracy": round(100 * sb / len(ids), 1), "only_model": only_a, "only_tree": only_b, "sign_test_p": round(p, 4)})
                print(f"{kind:<10} {cap:>7,} {tree:<26} model {100 * sa / len(ids):5.1f}%  tree {100 * sb / len(ids):5.1f}%  only model {only_a:3d}  only tree {only_b:3d}  p = {p:.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"model": args.model, "trees": args.trees, "by_budget": args.by_budget, "context": args.context, "rows": rows}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
