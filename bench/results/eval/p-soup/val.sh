#!/bin/bash
# A model on val-choice3's 15 validation conditions (bench/val15.py reads them), decoded as the default but for the
# value weight and value. Usage: val.sh MODEL NAME [WEIGHT, default 64] [RUN DIR, default runs/p] [VALUE, default
# models/ranker45-mlp]; writes RUN_DIR/NAME-{4,5,6}.
# Two jobs, 1 thread each: 6 numbers | 5 then 4 numbers. Binary: RUN_DIR/bin (commit in RUN_DIR/bin.commit).
cd /work/main
W=${3:-64}; R=${4:-runs/p}; V=${5:-models/ranker45-mlp}
A="$R/bin/apr eval --method apr --apr-model $1 --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model $V --value-weight $W --value-exact-upto 2 --symbolic-trees none"
$A --problems bench/results/eval/val-problems-6.jsonl --budgets 2000,4000,8000,16000,32000 --out $R/$2-6 > $R/$2-6.log 2>&1 &
( $A --problems bench/results/eval/val-problems-5.jsonl --budgets 2000,4000,8000,16000,32000 --out $R/$2-5 > $R/$2-5.log 2>&1
  $A --problems bench/results/eval/val-problems.jsonl --budgets 1000,2000,4000,8000,16000 --out $R/$2-4 > $R/$2-4.log 2>&1 ) &
wait
date
