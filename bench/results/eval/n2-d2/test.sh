#!/bin/bash
# Candidate N on the 200 6-number TEST problems at depth 2 and depth 1 (run only if validation passes runs/n2/RULE.txt's gate).
# D at depth 1 on record: runs/v11/test6 (runs/v11/test.sh 6).
cd /work/main
A="runs/n2/bin/apr eval --method apr --apr-model runs/n2/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --problems bench/results/eval/test-problems-6.jsonl --limit 200 --budgets 8000,16000,32000"
$A --depth 2 --out runs/n2/test6-d2 > runs/n2/test6-d2.log 2>&1 &
$A --depth 1 --out runs/n2/test6-d1 > runs/n2/test6-d1.log 2>&1 &
wait
date
