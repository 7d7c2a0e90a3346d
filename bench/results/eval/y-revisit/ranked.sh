#!/bin/bash
# The learned side with the memory: 11 shapes with "m", ranked by the ninth export's value for that size
# (6 numbers: models/ranker456-mlp72k; 5: models/ranker45-mlp72k), with and without the exact check of 2-number states,
# validation and test. Usage: ranked.sh BIN [N] (N = 6, the default, or 5).
cd "$(dirname "$0")/../../../.."
A=${1:?usage: ranked.sh BIN [N]}
n=${2:-6}
R=models/ranker456-mlp72k; [ "$n" = 5 ] && R=models/ranker45-mlp72k
M=2:1m,2:3/1m,2:4/1m,2:6/1m,2:8/1m,3:4/1m,2:2/1:2em,2:4/1:2em,2:8/1:2em,4:4/1:2em,8:2/1:2em
for s in val test; do
  $A eval --problems bench/results/eval/$s-problems-$n.jsonl --limit 200 --method apr --sweep budget --budgets 2000,4000,8000,16000,32000 \
    --conditions ranked --symbolic-trees $M --ranker $R --exact-upto 2 --threads 1 --out runs/y/ranked-$s-$n > runs/y/ranked-$s-$n.log 2>&1
done
date
