#!/bin/bash
# Candidate S on the 200 6-number TEST problems told 32k at depth 2 (only if validation passes runs/n3/RULE.txt's gate).
cd /work/main
A="runs/n3/bin/apr eval --method apr --apr-model runs/n3/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 2 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2 --symbolic-trees none --budgets 32000 --depth 2"
$A --problems bench/results/eval/test-problems-6.jsonl --limit 200 --out runs/n3/test6-d2 > runs/n3/test6-d2.log 2>&1
date
