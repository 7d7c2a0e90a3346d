#!/bin/bash
# Demonstrations of candidate V (runs/n5/RULE.txt) and its training; then W on the 6-number validation problems.
set -e
cd /work/main
A=runs/n5/bin/apr
R="--method apr --repeats 1 --budget-unit 1000 --ranker models/ranker45-mlp --exact-upto 2 --budget-children"
cp runs/n2/train-6.jsonl runs/n5/train-6.jsonl
$A data traces --problems runs/n5/train-6.jsonl --seed 22 --budgets 8000,16000 --trees 2:4/1 --spawn-from 2000 $R --out runs/n5/f6.jsonl
$A data traces --problems runs/n5/train-6.jsonl --seed 22 --budgets 32000 --trees 3:4/1 --spawn-from 2000 $R --out runs/n5/w6.jsonl
date
$A train --data runs/v11/d4a.jsonl --data runs/v11/d4b.jsonl --data runs/v11/d5a.jsonl --data runs/v11/d5b.jsonl --data runs/v11/d5c.jsonl --data runs/v11/d5d.jsonl --data runs/v11/d6a.jsonl --data runs/n5/f6.jsonl --data runs/n5/w6.jsonl --init models/apr --out runs/n5/sft --bf16 --loss-on chosen --steps 500 --batch-tokens 8192 --warmup 30 --lr 1e-3 --val-interval 100 --checkpoint-interval 50 --threads 2 --seed 16
date
$A eval --method apr --apr-model runs/n5/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 2 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --budgets 16000,32000 --problems bench/results/eval/val-problems-6.jsonl --out runs/n5/V-6 > runs/n5/V-6.log 2>&1
date
