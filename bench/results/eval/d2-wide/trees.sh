#!/bin/bash
# Depth-2 trees with wide starts on 6 numbers, validation first.
cd /work/main
A=runs/d2/bin/apr   # the build of aa450b3
T=2:2/1:2,2:3/1:2,2:4/1:2,2:8/1:2,4:4/1:2,2:4/2:2,2:2:2
for s in val; do
  $A eval --problems bench/results/eval/$s-problems-6.jsonl --method apr --sweep budget --budgets 2000,4000,8000,16000,32000 --conditions symbolic-b,ranked --symbolic-trees $T --ranker models/ranker45-mlp --exact-upto 2 --threads 1 --out runs/d2/$s-6
done
date
