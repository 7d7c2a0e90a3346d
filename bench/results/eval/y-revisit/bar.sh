#!/bin/bash
# The no-learning bar with a memory of searched states (trees "...m": AprOptions.NewStatesFirst), 5 and 6 numbers,
# validation and test: the 17 flat shapes of ../bar-wide and the 8 nested shapes of ../d2-wide, each with "m", heuristic
# and exact check of 2-number states (apr-symbolic-*m, apr-symbolic-*mx2). One job. The same shapes without "m" are the
# bar of ../d2-wide/by-budget-{5,6}.json (their validation and test figures per cap are read from there).
# Usage: bench/results/eval/y-revisit/bar.sh BIN (an apr binary of this session's build, e.g. runs/y/bin2/apr)
cd "$(dirname "$0")/../../../.."
A=${1:?usage: bar.sh BIN}
T=2:1,2:2,2:3,8:2,2:2:2,4:1,8:1,16:1,4:2,2:3/1,2:4/1,2:6/1,2:8/1,2:3/2,2:4/2,2:6/2,3:4/1,2:2/1:2e,2:3/1:2e,2:4/1:2e,2:8/1:2e,4:4/1:2e,2:2:2e,2:4/2:2e,8:2/1:2e
M=$(echo "$T" | sed 's/,/m,/g; s/$/m/')
for n in 6 5; do
  for s in val test; do
    $A eval --problems bench/results/eval/$s-problems-$n.jsonl --limit 200 --method apr --sweep budget --budgets 2000,4000,8000,16000,32000 \
      --conditions symbolic-b --symbolic-trees $M --exact-upto 2 --threads 1 --out runs/y/bar-$s-$n > runs/y/bar-$s-$n.log 2>&1
  done
done
date
