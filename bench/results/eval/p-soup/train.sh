#!/bin/bash
# Two more seeds of the fifth export's fine-tune (models/apr.recipe stage 5), for candidate P (runs/p/RULE.txt).
cd /work/main
for s in 16 17; do
runs/p/bin/apr train --data runs/v11/d4a.jsonl --data runs/v11/d4b.jsonl --data runs/v11/d5a.jsonl --data runs/v11/d5b.jsonl --data runs/v11/d5c.jsonl --data runs/v11/d5d.jsonl --data runs/v11/d6a.jsonl --data runs/v11/d6b.jsonl --init runs/v10/apr-3 --out runs/p/s$s --bf16 --loss-on chosen --steps 500 --batch-tokens 8192 --warmup 30 --lr 1e-3 --val-interval 100 --checkpoint-interval 50 --threads 1 --seed $s > runs/p/s$s.log 2>&1 &
done
wait
date
