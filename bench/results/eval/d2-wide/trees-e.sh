#!/bin/bash
# Nested trees whose children end when their own children fail (B:C:De), 5 and 6 numbers; $1 = val or test (default
# val); one job per size. Binary: runs/d2/bin-e (the build of 6c282a1).
cd /work/main
s=${1:-val}
A=runs/d2/bin-e/apr
T=2:2/1:2e,2:3/1:2e,2:4/1:2e,2:8/1:2e,4:4/1:2e,2:2:2e,2:4/2:2e,8:2/1:2e
for n in 5 6; do
  $A eval --problems bench/results/eval/$s-problems-$n.jsonl --method apr --sweep budget --budgets 2000,4000,8000,16000,32000 --conditions symbolic-b,ranked --symbolic-trees $T --ranker models/ranker45-mlp --exact-upto 2 --threads 1 --out runs/d2/$s-e-$n > runs/d2/$s-e-$n.log 2>&1 &
done
wait
date
