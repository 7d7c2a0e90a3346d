#!/bin/bash
# Validation of R (runs/rl56/run's last checkpoint) on the 15 conditions of RULE.txt, decoded as shipped. Two jobs.
cd /work/main
A="--method apr --apr-model runs/rl56/run --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model models/ranker45-mlp --value-weight 64 --value-exact-upto 2"
B=runs/rl56/bin/apr
($B eval --problems bench/results/eval/val-problems-6.jsonl $A --budgets 2000,4000,8000,16000,32000 --out runs/rl56/R-6 > runs/rl56/R-6.log 2>&1) &
($B eval --problems bench/results/eval/val-problems-5.jsonl $A --budgets 2000,4000,8000,16000,32000 --out runs/rl56/R-5 > runs/rl56/R-5.log 2>&1;
 $B eval --problems bench/results/eval/val-problems.jsonl $A --budgets 1000,2000,4000,8000,16000 --out runs/rl56/R-4 > runs/rl56/R-4.log 2>&1) &
wait
date
