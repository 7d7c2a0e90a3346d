#!/bin/bash
# Evaluate a model directory as its manifest says to decode it (budget bins and unit, budget in every thread, value, value
# weight, exact check, values by size): the default models/apr unless --apr-model is among the extra options, which are
# passed to every `apr eval` (e.g. --value-model-by-size 6=DIR to try another 6-number value).
# Usage: bench/eval_default.sh val|test OUT_PREFIX [apr eval options...]
#   val:  the 15 validation conditions (4 numbers 1k-16k, 5 and 6 numbers 2k-32k) -> OUT_PREFIX-{4,5,6}; bench/val15.py reads them
#   test: the test problems as bench/results/eval/q-weight/test.sh ran them -> OUT_PREFIX-test{6,5,4-1000,4-32}
# Two jobs, 1 thread each, told each budget (the APR model alone: --method apr --sweep budget --conditions told).
# APR=BIN runs that binary (e.g. a copy of .build/apr, so edits during a long run cannot rebuild it); default ./apr.
set -e
cd "$(dirname "$0")/.."
set_name=$1; out=$2; shift 2 || { echo "usage: bench/eval_default.sh val|test OUT_PREFIX [apr eval options...]" >&2; exit 2; }
E=bench/results/eval
APR=${APR:-./apr}
A=("$APR" eval --method apr --sweep budget --conditions told --threads 1 --symbolic-trees none)
[[ " $* " == *" --apr-model "* ]] || A+=(--apr-model models/apr)
"$APR" --help > /dev/null   # build once (./apr), before two jobs start
case $set_name in
  val)
    ( "${A[@]}" "$@" --problems $E/val-problems-6.jsonl --budgets 2000,4000,8000,16000,32000 --out $out-6 > $out-6.log 2>&1 ) &
    ( "${A[@]}" "$@" --problems $E/val-problems-5.jsonl --budgets 2000,4000,8000,16000,32000 --out $out-5 > $out-5.log 2>&1
      "${A[@]}" "$@" --problems $E/val-problems.jsonl --budgets 1000,2000,4000,8000,16000 --out $out-4 > $out-4.log 2>&1 ) & ;;
  test)
    ( "${A[@]}" "$@" --problems $E/test-problems-6.jsonl --limit 200 --budgets 2000,4000,8000,16000,32000 --out $out-test6 > $out-test6.log 2>&1
      "${A[@]}" "$@" --problems $E/test-problems.jsonl --limit 200 --budgets 32000 --out $out-test4-32 > $out-test4-32.log 2>&1 ) &
    ( "${A[@]}" "$@" --problems $E/test-problems-5.jsonl --limit 200 --budgets 2000,4000,8000,16000,32000 --out $out-test5 > $out-test5.log 2>&1
      "${A[@]}" "$@" --problems $E/test-problems.jsonl --budgets 1000,2000,4000,8000,16000 --out $out-test4-1000 > $out-test4-1000.log 2>&1 ) & ;;
  *) echo "bench/eval_default.sh: the first argument is val or test, got '$set_name'" >&2; exit 2 ;;
esac
wait
