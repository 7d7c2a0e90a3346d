#!/bin/bash
# Demonstrations and training of a wide-root candidate, then its run on the 6-number validation problems: the default's own
# demonstrations, with the 6-number ones the flat 2:4/1 told FLAT budgets and the wide-root 3:4/1 told WIDE budgets.
# Binary: runs/n2/bin (the build of 2ffef8b; these runs used copies of it).
#   bash data.sh                                 candidate W (runs/n4/RULE.txt): 2:4/1 at 8k, 3:4/1 at 16k/32k, seed 15 -> runs/n4, W-6
#   bash data.sh n5 8000,16000 32000 16 V        candidate V (../n5-wide-root-32k/RULE.txt) -> runs/n5, V-6
set -e
cd /work/main
RUN=runs/${1:-n4}; FLAT=${2:-8000}; WIDE=${3:-16000,32000}; SEED=${4:-15}; NAME=${5:-W}
A=runs/n2/bin/apr
R="--method apr --repeats 1 --budget-unit 1000 --ranker models/ranker45-mlp --exact-upto 2 --budget-children"
mkdir -p $RUN
cp runs/n2/train-6.jsonl $RUN/train-6.jsonl
$A data traces --problems $RUN/train-6.jsonl --seed 22 --budgets $FLAT --trees 2:4/1 --spawn-from 2000 $R --out $RUN/f6.jsonl
$A data traces --problems $RUN/train-6.jsonl --seed 22 --budgets $WIDE --trees 3:4/1 --spawn-from 2000 $R --out $RUN/w6.jsonl
date
$A train --data runs/v11/d4a.jsonl --data runs/v11/d4b.jsonl --data runs/v11/d5a.jsonl --data runs/v11/d5b.jsonl --data runs/v11/d5c.jsonl --data runs/v11/d5d.jsonl --data runs/v11/d6a.jsonl --data $RUN/f6.jsonl --data $RUN/w6.jsonl --init models/apr --out $RUN/sft --bf16 --loss-on chosen --steps 500 --batch-tokens 8192 --warmup 30 --lr 1e-3 --val-interval 100 --checkpoint-interval 50 --threads 2 --seed $SEED
date
$A eval --method apr --apr-model $RUN/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 2 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --budgets 16000,32000 --problems bench/results/eval/val-problems-6.jsonl --out $RUN/$NAME-6 > $RUN/$NAME-6.log 2>&1
date
