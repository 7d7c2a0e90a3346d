#!/bin/bash
# Nested trees whose children end (B:C:De) on the 4-number validation and test problems (1,000 each); one job per split.
cd /work/main   # runs/d2/bin-e: the build of 6c282a1
A=runs/d2/bin-e/apr
T=2:2/1:2e,2:3/1:2e,2:4/1:2e,2:2:2e,4:2/1:2e,8:2/1:2e
for s in val test; do
  f=bench/results/eval/$s-problems.jsonl
  $A eval --problems $f --method apr --sweep budget --budgets 1000,2000,4000,8000,16000 --conditions symbolic-b,ranked --symbolic-trees $T --ranker models/ranker45-mlp --exact-upto 2 --threads 1 --out runs/d2/$s-e-4 > runs/d2/$s-e-4.log 2>&1 &
done
wait
date
