#!/bin/bash
# The no-learning bar with children that look wider at their start node (B:S/C, twelfth session), beside every shape
# the bar had: per size, validation and test records of every tree, heuristic (apr-symbolic-*), exact check of 2-number
# states (apr-symbolic-*x2) and ranked by models/ranker45-mlp (apr-ranked-*, learned). bench/by_budget.py then picks per
# cap the tree that solved the most validation problems.
cd /work/main
A=runs/v11/bin/apr
T=2:1,2:2,2:3,8:2,2:2:2,4:1,8:1,16:1,4:2,2:3/1,2:4/1,2:6/1,2:8/1,2:3/2,2:4/2,2:6/2,3:4/1
for n in 5 6; do
  for s in val test; do
    $A eval --problems bench/results/eval/$s-problems-$n.jsonl --method apr --sweep budget --budgets 2000,4000,8000,16000,32000 --conditions symbolic-b,ranked --symbolic-trees $T --ranker models/ranker45-mlp --exact-upto 2 --threads 1 --out runs/w/bar-$s-$n
  done
done
for s in val test; do
  $A eval --problems bench/results/eval/$s-problems.jsonl --method apr --sweep budget --budgets 1000,2000,4000,8000,16000 --conditions symbolic-b,ranked --symbolic-trees $T --ranker models/ranker45-mlp --exact-upto 2 --threads 1 --out runs/w/bar-$s-4
done
date
