"""How many of a problem's root successors can still reach the target (brute force in Python), for the problems a records
file solves and for those it misses: medians, and how many have at most 2. Usage: roots.py RECORDS.jsonl"""
import json, sys, statistics
sys.argv, files = sys.argv[:1], sys.argv[1:]
exec(open(__file__.replace('roots.py', 'anatomy.py')).read().split("STATE = ")[0])
for path in files:
    rows = []
    for l in open(path):
        r = json.loads(l)
        succ = successors(tuple(sorted(r['nums'])))
        rows.append((r['correct'], sum(reachable(r['target'], s) for s in succ), len(succ)))
    out = {"file": path}
    for name, ok in (("solved", True), ("missed", False)):
        g = [x for x in rows if x[0] == ok]
        out[name] = {"problems": len(g), "median_reachable_root_successors": statistics.median(x[1] for x in g) if g else None,
                     "median_root_successors": statistics.median(x[2] for x in g) if g else None, "at_most_2_reachable": sum(x[1] <= 2 for x in g)}
    print(json.dumps(out))
