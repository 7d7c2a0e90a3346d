#!/bin/bash
# Candidate Q (runs/q/RULE.txt) screen: value weight $1 on 5 numbers told 16k and 6 told 32k (validation). 1 thread.
cd /work/main
A="runs/q/bin/apr eval --method apr --apr-model runs/v11/sft --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model models/ranker45-mlp --value-weight $1 --value-exact-upto 2 --symbolic-trees none"
$A --problems bench/results/eval/val-problems-5.jsonl --budgets 16000 --out runs/q/W$1-5 > runs/q/W$1-5.log 2>&1
$A --problems bench/results/eval/val-problems-6.jsonl --budgets 32000 --out runs/q/W$1-6 > runs/q/W$1-6.log 2>&1
date
