#!/bin/bash
# Candidate S (runs/n3/RULE.txt) on the 200 6-number validation problems told 32k at depth 2 (then test if the gate passes).
cd /work/main
while pgrep -f runs/n3/data.sh > /dev/null; do sleep 20; done
A="runs/n3/bin/apr eval --method apr --apr-model runs/n3/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 2 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --budgets 32000 --depth 2"
$A --problems bench/results/eval/val-problems-6.jsonl --out runs/n3/S2-6 > runs/n3/S2-6.log 2>&1
date
