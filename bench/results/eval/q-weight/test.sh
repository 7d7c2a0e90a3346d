#!/bin/bash
# A model on the TEST problems as runs/v11/test.sh ran the default, but for the value weight and value.
# Usage: test.sh MODEL NAME WEIGHT RUN_DIR [VALUE, default models/ranker45-mlp]; writes RUN_DIR/NAME-test{6,5,4-1000,4-32}. Binary RUN_DIR/bin.
# Two jobs, 1 thread each: 6 numbers then 4 numbers (200, 32k) | 5 numbers then 4 numbers (1,000, 1k-16k).
cd /work/main
R=$4; V=${5:-models/ranker45-mlp}
A="$R/bin/apr eval --method apr --apr-model $1 --apr-budget-bins 1000,2000,4000,8000,16000,32000 --apr-budget-unit 1000 --apr-budget-children --sweep budget --conditions told --threads 1 --value-model $V --value-weight $3 --value-exact-upto 2 --symbolic-trees none"
( $A --problems bench/results/eval/test-problems-6.jsonl --limit 200 --budgets 2000,4000,8000,16000,32000 --out $R/$2-test6 > $R/$2-test6.log 2>&1
  $A --problems bench/results/eval/test-problems.jsonl --limit 200 --budgets 32000 --out $R/$2-test4-32 > $R/$2-test4-32.log 2>&1 ) &
( $A --problems bench/results/eval/test-problems-5.jsonl --limit 200 --budgets 2000,4000,8000,16000,32000 --out $R/$2-test5 > $R/$2-test5.log 2>&1
  $A --problems bench/results/eval/test-problems.jsonl --budgets 1000,2000,4000,8000,16000 --out $R/$2-test4-1000 > $R/$2-test4-1000.log 2>&1 ) &
wait
date
