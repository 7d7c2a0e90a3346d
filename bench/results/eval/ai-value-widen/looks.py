"""How children's first looks meet reachable successors, and what widening some of them would cost (ai-value-widen).
Usage: looks.py DEBUG.err RECORDS.jsonl [W]. DEBUG.err: the START / SUCC lines of a run with debug-print.patch (the value
of each child's start and of each successor of it, with whether it can reach the target); RECORDS.jsonl: that run's
records with --traces (each child's own first-look width). For gates on the start's value (sv) or on the best value in
the child's own look (maxlook), prints the children widened to W, the extra successors explored, and the reachable
starts rescued (a reachable successor within the first W by value but not within the child's own look). Assumes a child
looks at its successors in the value's order (the guide's weight of 128 makes that so)."""
import json,re,sys,collections
err=sys.argv[1]; rec=sys.argv[2]
start={}; succ=collections.defaultdict(dict)
for l in open(err):
    p=l.split()
    if p[0]=='START': start[(p[1],p[2])]=(float(p[3]),p[4]=='True')
    elif p[0]=='SUCC': succ[(p[1],p[2])][p[3]]=(float(p[4]),p[5]=='True')
# natural widths from records
widths={}
solvedp={}
for l in open(rec):
    r=json.loads(l); solvedp[r['id']]=r['correct']
    for t in r['threads']:
        if t['level']!=1: continue
        m=re.search(r'Current State: (\d+):\[([^\]]*)\]', t['prompt'])
        key=(m.group(1), m.group(2).replace(' ',''))
        w=0
        for line in t['completion'].split('\n'):
            if line.startswith('Exploring'): w+=1
            elif line.startswith('Moving') or line.startswith('No solution'): break
        widths[key]=(w,r['id'])
rows=[]
for k,(sv,sr) in start.items():
    s=sorted(succ[k].values(), key=lambda x:-x[0])
    if not s or k not in widths: continue
    rank=next((i+1 for i,(v,rr) in enumerate(s) if rr), None)
    w,pid=widths[k]
    rows.append(dict(sv=sv,sr=sr,rank=rank,n=len(s),w=w,top3=max(v for v,_ in s[:3]),maxlook=max(v for v,_ in s[:max(w,1)]),pid=pid,solved=solvedp[pid]))
print('children',len(rows),'reachable starts',sum(r['sr'] for r in rows))
rs=[r for r in rows if r['sr']]
print('reachable: look holds', sum(r['rank']<=r['w'] for r in rs), 'rank<=8', sum(r['rank']<=8 for r in rs), 'rank dist', collections.Counter(min(r['rank'],12) for r in rs))
print('nat width', collections.Counter(r['w'] for r in rows))
W=int(sys.argv[3]) if len(sys.argv)>3 else 8
for name,gate in [('all',lambda r:True)]+[(f'sv>={t}',(lambda t: lambda r:r['sv']>=t)(t)) for t in (0.2,0.25,0.3,0.35)]+[(f'maxlook<{t}',(lambda t: lambda r:r['maxlook']<t)(t)) for t in (0.1,0.2,0.3,0.4)]:
    g=[r for r in rows if gate(r)]
    extra=sum(max(0,min(W,r['n'])-r['w']) for r in g)
    resc=sum(1 for r in g if r['sr'] and r['rank']>r['w'] and r['rank']<=W)
    print(f'{name:12s} widened {len(g):4d} extra succ {extra:5d} rescued {resc:3d}  extra/rescue {extra/max(resc,1):.1f}')
