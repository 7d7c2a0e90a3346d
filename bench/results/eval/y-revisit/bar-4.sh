#!/bin/bash
# bar.sh for 4 numbers: the same 25 shapes with "m" on the 1,000 validation and 1,000 test problems, caps 1k-16k.
cd "$(dirname "$0")/../../../.."
A=${1:?usage: bar-4.sh BIN}
T=2:1,2:2,2:3,8:2,2:2:2,4:1,8:1,16:1,4:2,2:3/1,2:4/1,2:6/1,2:8/1,2:3/2,2:4/2,2:6/2,3:4/1,2:2/1:2e,2:3/1:2e,2:4/1:2e,2:8/1:2e,4:4/1:2e,2:2:2e,2:4/2:2e,8:2/1:2e
M=$(echo "$T" | sed 's/,/m,/g; s/$/m/')
for s in val test; do
  $A eval --problems bench/results/eval/$s-problems.jsonl --method apr --sweep budget --budgets 1000,2000,4000,8000,16000 \
    --conditions symbolic-b --symbolic-trees $M --exact-upto 2 --threads 1 --out runs/y/bar-$s-4 > runs/y/bar-$s-4.log 2>&1
done
date
