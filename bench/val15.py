#!/usr/bin/env python3
"""The shipping rule's figure (val-choice3, bench/results/eval/val-choice3/recipe.txt): a model's mean accuracy over 15
validation conditions, told each cap: 4 numbers at 1,000-16,000 (the 1,000 validation problems), 5 and 6 numbers at
2,000-32,000 (200 each).

    python3 bench/val15.py PREFIX [PREFIX ...]

Each PREFIX names three `apr eval` output directories, PREFIX-4, PREFIX-5 and PREFIX-6, whose summary.json holds the
conditions apr-model-told-b{cap}. Prints per prefix the mean and the 15 accuracies (4 | 5 | 6 numbers).
"""
import json
import sys

CAPS = {4: [1000, 2000, 4000, 8000, 16000], 5: [2000, 4000, 8000, 16000, 32000], 6: [2000, 4000, 8000, 16000, 32000]}


def accuracies(prefix, n):
    path = f"{prefix}-{n}/summary.json"
    try:
        with open(path) as f:
            by_name = {c["name"]: c["accuracy"] for c in json.load(f)["conditions"]}
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"error: cannot read {path}: {e}")
    missing = [c for c in CAPS[n] if f"apr-model-told-b{c}" not in by_name]
    if missing:
        sys.exit(f"error: {path} has no condition apr-model-told-b{missing[0]} (the rule needs told {CAPS[n]})")
    return [100 * by_name[f"apr-model-told-b{c}"] for c in CAPS[n]]


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    for prefix in sys.argv[1:]:
        rows = [accuracies(prefix, n) for n in (4, 5, 6)]
        flat = [a for row in rows for a in row]
        print(prefix, f"mean {sum(flat) / len(flat):.2f}", " | ".join(" / ".join(f"{a:.1f}" for a in row) for row in rows))


if __name__ == "__main__":
    main()
