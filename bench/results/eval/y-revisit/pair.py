"""Pairs two eval record files of the same problems: solved by each, only-A : only-B, two-sided sign-test p, and mean
total tokens where both solve. Usage: pair.py A.jsonl B.jsonl [A2.jsonl B2.jsonl ...] (pairs pooled)."""
import json, sys, math

def load(f):
    return {json.loads(l)['id']: json.loads(l) for l in open(f)}

def sign_p(a, b):
    n = a + b
    if n == 0: return 1.0
    k = min(a, b)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)

args = sys.argv[1:]
A, B = {}, {}
for i in range(0, len(args), 2):
    a, b = load(args[i]), load(args[i + 1])
    assert a.keys() == b.keys(), (args[i], args[i + 1])
    A.update({(i, k): v for k, v in a.items()}); B.update({(i, k): v for k, v in b.items()})
sa = sum(v['correct'] for v in A.values()); sb = sum(v['correct'] for v in B.values())
oa = sum(A[k]['correct'] and not B[k]['correct'] for k in A); ob = sum(B[k]['correct'] and not A[k]['correct'] for k in A)
both = [k for k in A if A[k]['correct'] and B[k]['correct']]
ta = sum(A[k]['total_tokens'] for k in both) / max(1, len(both)); tb = sum(B[k]['total_tokens'] for k in both) / max(1, len(both))
print(json.dumps({"problems": len(A), "solved_a": sa, "solved_b": sb, "only_a": oa, "only_b": ob, "sign_test_p": round(sign_p(oa, ob), 4),
                  "both_solved": len(both), "mean_total_tokens_both_a": round(ta), "mean_total_tokens_both_b": round(tb)}))
