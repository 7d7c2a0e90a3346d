#!/usr/bin/env python3
"""Are two `apr eval` record folders the same run? Compares records/*.jsonl line by line, field by field,
ignoring wall-clock fields (they differ on every run) and, in each call, the fields named with --new
(fields a change added on purpose). Used for the structure issue's check: the same greedy records before and after.

Usage: bench/records-equal.py BEFORE_DIR AFTER_DIR [--new children,...] [--prefix]
--prefix: AFTER ran on the first problems of BEFORE's run (--limit): compare the conditions AFTER has, on the
records AFTER holds. Prints one line per condition and exits 1 if any record differs."""
import json, sys, os

CLOCK = {"latency_ms", "start_ms", "end_ms", "seconds", "elapsed_s"}

def strip(value, ignore, nested=False):
    """Drops the clock fields everywhere and the --new fields of the calls (objects inside lists)."""
    if isinstance(value, dict):
        return {k: strip(v, ignore, nested) for k, v in value.items() if k not in CLOCK and not (nested and k in ignore)}
    if isinstance(value, list):
        return [strip(v, ignore, True) for v in value]
    return value

def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    before, after = argv[0], argv[1]
    new = set(argv[argv.index("--new") + 1].split(",")) if "--new" in argv else set()
    prefix = "--prefix" in argv
    bad = 0
    for name in sorted(os.listdir(os.path.join(before, "records"))):
        a = open(os.path.join(before, "records", name)).read().splitlines()
        path = os.path.join(after, "records", name)
        if not os.path.exists(path):
            if not prefix:
                print(f"{name}: missing after"); bad += 1
            continue
        b = open(path).read().splitlines()
        if prefix:
            a = a[:len(b)]
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if strip(json.loads(x), set()) != strip(json.loads(y), new)]
        if len(a) != len(b): diffs.append(min(len(a), len(b)))
        print(f"{name}: {len(a)} records, {'identical' if not diffs else f'{len(diffs)} differ (first: line {diffs[0] + 1})'}")
        bad += bool(diffs)
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main(sys.argv[1:])
