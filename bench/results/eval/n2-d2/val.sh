#!/bin/bash
# Candidate N (runs/n2/RULE.txt) on the 6-number validation problems at depth 1 and depth 2, decoded as the default is.
# Two jobs at a time, 1 thread each. D at depth 1 is on record: runs/v11/D-6 (runs/v11/val.sh).
cd /work/main
while pgrep -f runs/n2/data.sh > /dev/null; do sleep 20; done
A="runs/n2/bin/apr eval --method apr --apr-model runs/n2/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --problems bench/results/eval/val-problems-6.jsonl --budgets 8000,16000,32000"
$A --depth 2 --out runs/n2/N2-6 > runs/n2/N2-6.log 2>&1 &
$A --depth 1 --out runs/n2/N1-6 > runs/n2/N1-6.log 2>&1 &
wait
date
