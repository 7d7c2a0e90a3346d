#!/bin/bash
# The screen of candidate S (RULE.txt): the default (seventh export) decoded with value weight $1 on the 5- and 6-number
# validation problems told 32,000. Two jobs, 1 thread each; binary runs/s/bin. Writes runs/s/W$1-{5,6}.
cd /work/main
A="runs/s/bin/apr eval --method apr --apr-model runs/v11/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model runs/r/ranker --value-weight $1 --value-exact-upto 2 --symbolic-trees none --budgets 32000"
$A --problems bench/results/eval/val-problems-5.jsonl --out runs/s/W$1-5 > runs/s/W$1-5.log 2>&1 &
$A --problems bench/results/eval/val-problems-6.jsonl --out runs/s/W$1-6 > runs/s/W$1-6.log 2>&1 &
wait
date
