import json,re,sys,collections
gen=re.compile(r"Generated Node #([\d,]+): (\d+):\[([^\]]*)\]")
for f in sys.argv[1:]:
    r=[json.loads(l) for l in open(f)]
    for label,sel in (('all',lambda x:True),('failed',lambda x:not x['correct'])):
        bysize=collections.Counter(); dupbysize=collections.Counter()
        for x in r:
            if not sel(x): continue
            seen={}
            for t in sorted(x['threads'], key=lambda t:t['start_step']):
                for m in gen.finditer(t['completion']):
                    ms=tuple(sorted(int(v) for v in m.group(3).split(', ')))
                    bysize[len(ms)]+=1
                    if ms in seen and seen[ms]!=t['thread']: dupbysize[len(ms)]+=1
                    seen.setdefault(ms,t['thread'])
        print(f.split('/')[2],label,{k:(bysize[k],dupbysize[k],round(dupbysize[k]/bysize[k],3)) for k in sorted(bysize)})
