# The PyTorch side of bench/Apr.Bench.Training: the same Llama model (RMSNorm, RoPE in the Hugging Face
# half-split layout, causal attention, SwiGLU, untied head, no biases), the same batch and sequence length,
# the same AdamW + clipping step, timed the same way. Prints one JSON object. Measures speed only.
import argparse, json, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
for name in ["vocab", "hidden", "layers", "heads", "ffn", "batch", "seq", "steps", "warmup", "threads"]:
    p.add_argument("--" + name, type=int, required=True)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

class RMSNorm(nn.Module):
    def __init__(self, c, eps=1e-6):
        super().__init__(); self.weight = nn.Parameter(torch.ones(c)); self.eps = eps
    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight

class Block(nn.Module):
    def __init__(self, c, h, f):
        super().__init__()
        self.h = h
        self.input_layernorm = RMSNorm(c); self.post_attention_layernorm = RMSNorm(c)
        self.q = nn.Linear(c, c, bias=False); self.k = nn.Linear(c, c, bias=False)
        self.v = nn.Linear(c, c, bias=False); self.o = nn.Linear(c, c, bias=False)
        self.gate = nn.Linear(c, f, bias=False); self.up = nn.Linear(c, f, bias=False); self.down = nn.Linear(f, c, bias=False)
    def forward(self, x, cos, sin, mask):
        B, T, C = x.shape; D = C // self.h
        y = self.input_layernorm(x)
        q = self.q(y).view(B, T, self.h, D).transpose(1, 2)
        k = self.k(y).view(B, T, self.h, D).transpose(1, 2)
        v = self.v(y).view(B, T, self.h, D).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D)
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(B, T, C))
        y = self.post_attention_layernorm(x)
        return x + self.down(F.silu(self.gate(y)) * self.up(y))

def rope(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin

class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(a.vocab, a.hidden)
        self.layers = nn.ModuleList([Block(a.hidden, a.heads, a.ffn) for _ in range(a.layers)])
        self.norm = RMSNorm(a.hidden); self.lm_head = nn.Linear(a.hidden, a.vocab, bias=False)
        D = a.hidden // a.heads
        inv = 1.0 / (10000 ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
        ang = torch.outer(torch.arange(a.seq, dtype=torch.float64), inv)
        both = torch.cat([ang, ang], 1)
        self.cos, self.sin = both.cos().float(), both.sin().float()
        self.mask = torch.ones(a.seq, a.seq, dtype=torch.bool).triu(1)
    def forward(self, ids):
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask)
        return self.lm_head(self.norm(x))

model = Llama()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
ids = torch.randint(0, a.vocab, (a.batch, a.seq))
targets = torch.randint(0, a.vocab, (a.batch, a.seq))
times = []
for i in range(a.warmup + a.steps):
    t0 = time.perf_counter()
    logits = model(ids)
    loss = F.cross_entropy(logits.view(-1, a.vocab), targets.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step(); opt.zero_grad(set_to_none=False)
    if i >= a.warmup:
        times.append(time.perf_counter() - t0)
times.sort()
median = times[len(times) // 2]
print(json.dumps({"torch_version": torch.__version__, "median_step_s": median,
                  "tokens_per_s": a.batch * a.seq / median, "steps": a.steps}))
