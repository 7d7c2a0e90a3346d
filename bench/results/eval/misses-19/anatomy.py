"""Where a decoded problem's tokens went, from eval records written with --traces.
Usage: anatomy.py RECORDS.jsonl [...]
Per file: problems solved; the share of total tokens that children's completions hold; how many successors a child
explores at its start node before it first moves (its first look); and, checked by brute force in Python (independent of
the C# solver), how many children started at a state from which the target can still be reached, and how many of those
returned without the solution (the value ranked the reachable continuations too low for the child's look) against
problems where no child started at a reachable state (the root's ranking and the budget decided); for the children that
started at a reachable state, how many of their start's successors can still reach the target and whether their first look
held one; and the root's reachable successors (median) over the file's problems."""
import json, re, sys, collections
from functools import lru_cache

def successors(nums):
    out = set()
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            a, b = max(nums[i], nums[j]), min(nums[i], nums[j])
            rest = [nums[k] for k in range(len(nums)) if k not in (i, j)]
            for r in [a + b, a - b, a * b] + ([a // b] if b and a % b == 0 else []):
                out.add(tuple(sorted(rest + [r])))
    return out

@lru_cache(maxsize=None)
def reachable(target, nums):
    if len(nums) == 1: return nums[0] == target
    return any(reachable(target, s) for s in successors(nums))

STATE = re.compile(r"Current State: (\d+):\[([0-9, ]*)\]")

for path in sys.argv[1:]:
    recs = [json.loads(l) for l in open(path)]
    if any('completion' not in t for r in recs for t in r['threads']):
        sys.exit(f"{path}: written without --traces (apr eval --traces keeps each call's text, which this reads)")
    widths = collections.Counter(); child_share = []; reach_children = 0; reach_failed = 0; children = 0
    no_reachable_child = 0; outcomes = collections.Counter(); few = 0; look_held = 0; root_reach = []
    for r in recs:
        outcomes[r['outcome']] += 1
        root_reach.append(sum(reachable(r['target'], s) for s in successors(tuple(sorted(r['nums'])))))
        kids = [t for t in r['threads'] if t['level'] >= 1]
        child_share.append(sum(t['completion_tokens'] for t in kids) / max(1, r['total_tokens']))
        any_reach = False
        for t in kids:
            if t['call'] != 0: continue
            children += 1
            widths[t['completion'].split('Moving to Node')[0].count('Exploring Operation')] += 1
            m = STATE.search(t['prompt'])
            target, nums = int(m.group(1)), tuple(sorted(int(x) for x in m.group(2).split(',')))
            if reachable(target, nums):
                any_reach = True; reach_children += 1
                reach_failed += t['outcome'] != 'solved'
                few += sum(reachable(target, s) for s in successors(nums)) <= 2
                looked = re.findall(r"Resulting Numbers: \[([0-9, ]*)\]", t['completion'].split('Moving to Node')[0])
                look_held += any(reachable(target, tuple(sorted(int(x) for x in g.split(',')))) for g in looked)
        no_reachable_child += not any_reach
    n = len(recs)
    print(json.dumps({"file": path, "problems": n, "solved": sum(r['correct'] for r in recs), "outcomes": dict(outcomes),
                      "mean_total_tokens": round(sum(r['total_tokens'] for r in recs) / n),
                      "children_completion_share": round(sum(child_share) / n, 3), "children": children,
                      "first_look_widths": dict(sorted(widths.items())),
                      "children_at_a_reachable_state": reach_children, "of_those_returned_without_it": reach_failed,
                      "of_those_with_at_most_2_reachable_successors": few, "of_those_whose_first_look_held_one": look_held,
                      "problems_with_no_child_at_a_reachable_state": no_reachable_child,
                      "median_reachable_root_successors": sorted(root_reach)[n // 2]}))
