#!/bin/bash
# Demonstrations of candidate S (runs/n3/RULE.txt) and its training. Binary: runs/n3/bin (commit in bin.commit).
set -e
cd /work/main
A=runs/n3/bin/apr
R="--method apr --repeats 1 --budget-unit 1000 --ranker models/ranker45-mlp --exact-upto 2 --budget-children"
cp runs/n2/extra-6.jsonl runs/n3/extra-6.jsonl
cat runs/vg/train-6.jsonl runs/n3/extra-6.jsonl > runs/n3/train-6.jsonl
$A data traces --problems runs/n3/train-6.jsonl --seed 22 --budgets 8000,16000 --trees 2:4/1 --spawn-from 2000 $R --out runs/n3/f6.jsonl
$A data traces --problems runs/n3/train-6.jsonl --seed 22 --budgets 32000 --trees 4:4/1:2e --depth 2 --spawn-from 2000 $R --out runs/n3/n6.jsonl
date
$A train --data runs/v11/d4a.jsonl --data runs/v11/d4b.jsonl --data runs/v11/d5a.jsonl --data runs/v11/d5b.jsonl --data runs/v11/d5c.jsonl --data runs/v11/d5d.jsonl --data runs/v11/d6a.jsonl --data runs/n3/f6.jsonl --data runs/n3/n6.jsonl --init models/apr --out runs/n3/sft --bf16 --loss-on chosen --steps 500 --batch-tokens 8192 --warmup 30 --lr 1e-3 --val-interval 100 --checkpoint-interval 50 --threads 2 --seed 14
date
