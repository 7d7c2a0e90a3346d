#!/bin/bash
# Candidate S's weights at depth 1 (children may not spawn), told 32k, on the 6-number test and validation problems:
# the same-weights comparison beside S at depth 2 (reported, not part of RULE.txt's gate).
cd /work/main
while pgrep -f runs/n3/test.sh > /dev/null; do sleep 10; done
A="runs/n3/bin/apr eval --method apr --apr-model runs/n3/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 2 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --budgets 32000 --depth 1"
$A --problems bench/results/eval/test-problems-6.jsonl --limit 200 --out runs/n3/test6-d1 > runs/n3/test6-d1.log 2>&1
$A --problems bench/results/eval/val-problems-6.jsonl --out runs/n3/S1-6 > runs/n3/S1-6.log 2>&1
date
