#!/bin/bash
# GRPO of the default (fifth export) on 4,000 new 5- and 6-number problems (rl-5/6.jsonl: seeds 405/406, disjoint from test, validation and SFT problems), rollouts decoded with its linked value
# (models/ranker45-mlp, weight 64, exact check of 2-number states), under budgets 8k/16k/32k told in every thread.
cd /work/main   # runs/rl56/bin: the build of ce8f93a
runs/rl56/bin/apr rl --model models/apr --problems runs/rl56/train56.jsonl --out runs/rl56/run --budgets 8000,16000,32000 \
  --steps 40 --problems-per-step 8 --group 5 --val-interval 0 --checkpoint-interval 5 --threads 2 --seed 31 "$@"
date
