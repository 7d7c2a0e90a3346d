# Reference values for our AdamW (src/Apr.Training/AdamW.cs) from torch.optim.AdamW, float32, on the CPU.
# Writes the starting parameters, each step's learning rate and gradients, and torch's parameters and
# moments after each step; tests/Apr.Training.Tests/AdamWTests.cs replays the same steps with our AdamW
# and compares. Generated once and committed (the tests do not need Python); regenerate with
#   /usr/bin/python3 bench/Apr.Bench.Training/torch_adamw_reference.py > tests/Apr.Training.Tests/Golden/adamw-torch.json
# (Debian's python3-torch). Our AdamW decays only parameters with more than one dimension, so the 2-D
# parameter is in a group with weight decay and the 1-D one in a group without.
import json
import torch

torch.manual_seed(20250401)
beta1, beta2, eps, weight_decay = 0.9, 0.95, 1e-8, 0.1
lrs = [1e-3, 3e-3, 1e-2, 1e-2, 5e-3, 2e-3, 1e-3]
shapes = {"w": [3, 4], "norm": [4]}
params = {name: torch.nn.Parameter(torch.randn(shape, dtype=torch.float32)) for name, shape in shapes.items()}
initial = {name: p.detach().clone() for name, p in params.items()}
opt = torch.optim.AdamW(
    [{"params": [params["w"]], "weight_decay": weight_decay}, {"params": [params["norm"]], "weight_decay": 0.0}],
    lr=lrs[0], betas=(beta1, beta2), eps=eps, foreach=False)

def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]  # float32 values, exact as doubles

steps = []
for i, lr in enumerate(lrs):
    for group in opt.param_groups:
        group["lr"] = lr
    # Gradients over a few orders of magnitude, one step near eps, so both terms of the denominator matter.
    scale = 1e-7 if i == 3 else 10.0 ** (-(i % 3))
    grads = {name: (torch.randn(shape, dtype=torch.float32) * scale) for name, shape in shapes.items()}
    for name, p in params.items():
        p.grad = grads[name].clone()
    opt.step()
    steps.append({
        "lr": lr,
        "grads": {name: values(g) for name, g in grads.items()},
        "params": {name: values(p) for name, p in params.items()},
        "exp_avg": {name: values(opt.state[p]["exp_avg"]) for name, p in params.items()},
        "exp_avg_sq": {name: values(opt.state[p]["exp_avg_sq"]) for name, p in params.items()},
    })

head = {
    "format_version": 1,
    "generated_by": "bench/Apr.Bench.Training/torch_adamw_reference.py, torch " + torch.__version__,
    "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weight_decay,
    "shapes": shapes,
    "initial": {name: values(t) for name, t in initial.items()},
}
# One line per field and per step, so a regenerated file diffs readably.
lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
lines.append(' "steps": [\n' + ",\n".join("  " + json.dumps(s) for s in steps) + "\n ]")
print("{\n" + "\n".join(lines) + "\n}")
