#!/bin/bash
# Demonstrations and training of a depth-2 candidate: the default's own demonstrations, with the 6-number ones told 8k/16k
# the flat 2:4/1 and told 32k the nested TREE written at depth 2. Binary: runs/n2/bin (the build of 2ffef8b; S ran a copy).
#   bash data.sh            candidate N (runs/n2/RULE.txt): 2:4/1:2e, seed 13 -> runs/n2
#   bash data.sh n3 4:4/1:2e 14   candidate S (../n3-d2/RULE.txt) -> runs/n3 (the same problems and flat demonstrations)
set -e
cd /work/main
RUN=runs/${1:-n2}; TREE=${2:-2:4/1:2e}; SEED=${3:-13}
A=runs/n2/bin/apr
R="--method apr --repeats 1 --budget-unit 1000 --ranker models/ranker45-mlp --exact-upto 2 --budget-children"
mkdir -p $RUN
head -n 1000 runs/rl56/rl-6.jsonl > $RUN/extra-6.jsonl
cat runs/vg/train-6.jsonl $RUN/extra-6.jsonl > $RUN/train-6.jsonl
$A data traces --problems $RUN/train-6.jsonl --seed 22 --budgets 8000,16000 --trees 2:4/1 --spawn-from 2000 $R --out $RUN/f6.jsonl
$A data traces --problems $RUN/train-6.jsonl --seed 22 --budgets 32000 --trees $TREE --depth 2 --spawn-from 2000 $R --out $RUN/n6.jsonl
date
$A train --data runs/v11/d4a.jsonl --data runs/v11/d4b.jsonl --data runs/v11/d5a.jsonl --data runs/v11/d5b.jsonl --data runs/v11/d5c.jsonl --data runs/v11/d5d.jsonl --data runs/v11/d6a.jsonl --data $RUN/f6.jsonl --data $RUN/n6.jsonl --init models/apr --out $RUN/sft --bf16 --loss-on chosen --steps 500 --batch-tokens 8192 --warmup 30 --lr 1e-3 --val-interval 100 --checkpoint-interval 50 --threads 2 --seed $SEED
date
