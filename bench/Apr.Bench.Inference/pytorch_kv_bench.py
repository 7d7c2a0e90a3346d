# PyTorch eager reference for the inference benchmark: the same Llama decoder (weights read from the
# model.safetensors that the C# benchmark wrote), prefill + greedy decode with a preallocated KV cache.
# Prints one JSON object. Written for Debian's python3-torch (1.13: no scaled_dot_product_attention).
import argparse, json, math, struct, sys, time
import numpy as np
import torch

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).copy()).view(*meta["shape"])
    return out

class Llama:
    def __init__(self, w, cfg):
        self.w, self.c = w, cfg
        self.H = cfg["num_attention_heads"]; self.C = cfg["hidden_size"]; self.D = self.C // self.H
        self.L = cfg["num_hidden_layers"]; self.eps = cfg["rms_norm_eps"]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, self.D, 2, dtype=torch.float64) / self.D))
        ang = torch.outer(torch.arange(cfg["max_position_embeddings"], dtype=torch.float64), inv)
        both = torch.cat([ang, ang], 1)
        self.cos, self.sin = both.cos().float(), both.sin().float()

    def norm(self, x, name):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.w[name]

    def rope(self, x, pos):  # x (B, H, T, D), pos (T,)
        c, s = self.cos[pos], self.sin[pos]
        h = self.D // 2
        rot = torch.cat([-x[..., h:], x[..., :h]], -1)
        return x * c + rot * s

    def forward(self, ids, kc, vc, start):  # ids (B, T); caches (L, B, H, Tmax, D); all rows at the same position
        B, T = ids.shape
        x = self.w["model.embed_tokens.weight"][ids]
        pos = torch.arange(start, start + T)
        for i in range(self.L):
            p = f"model.layers.{i}."
            h = self.norm(x, p + "input_layernorm.weight")
            q = (h @ self.w[p + "self_attn.q_proj.weight"].T).view(B, T, self.H, self.D).transpose(1, 2)
            k = (h @ self.w[p + "self_attn.k_proj.weight"].T).view(B, T, self.H, self.D).transpose(1, 2)
            v = (h @ self.w[p + "self_attn.v_proj.weight"].T).view(B, T, self.H, self.D).transpose(1, 2)
            q, k = self.rope(q, pos), self.rope(k, pos)
            kc[i, :, :, start:start + T] = k
            vc[i, :, :, start:start + T] = v
            keys, values = kc[i, :, :, :start + T], vc[i, :, :, :start + T]
            att = (q @ keys.transpose(-1, -2)) / math.sqrt(self.D)
            mask = torch.arange(start + T).view(1, -1) > pos.view(-1, 1)
            att = att.masked_fill(mask, float("-inf")).softmax(-1)
            y = (att @ values).transpose(1, 2).reshape(B, T, self.C)
            x = x + y @ self.w[p + "self_attn.o_proj.weight"].T
            h = self.norm(x, p + "post_attention_layernorm.weight")
            g = torch.nn.functional.silu(h @ self.w[p + "mlp.gate_proj.weight"].T) * (h @ self.w[p + "mlp.up_proj.weight"].T)
            x = x + g @ self.w[p + "mlp.down_proj.weight"].T
        x = self.norm(x[:, -1], "model.norm.weight")
        return x @ self.w["lm_head.weight"].T  # (B, V)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True, help="JSON file: prompt ids (rows x prompt) of the largest batch")
    ap.add_argument("--rows", required=True)
    ap.add_argument("--decode", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--check", help="file of float32 logits of row 0 after the prefill (from C#)")
    ap.add_argument("--repeat", type=int, default=1, help="prefill + decode this many times; the fastest decode counts")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = json.load(open(a.model + "/config.json"))
    model = Llama(read_safetensors(a.model + "/model.safetensors"), cfg)
    prompts = torch.tensor(json.load(open(a.ids)), dtype=torch.long)
    result = {"torch": torch.__version__, "threads": a.threads, "rows": {}}
    with torch.inference_mode():
        for rows in [int(r) for r in a.rows.split(",")]:
            ids = prompts[:rows]
            P = ids.shape[1]
            Tmax = P + a.decode + a.warmup + 1
            shape = (model.L, rows, model.H, Tmax, model.D)
            dt = float("inf")
            for _ in range(a.repeat):
                kc, vc = torch.zeros(shape), torch.zeros(shape)
                logits = model.forward(ids, kc, vc, 0)
                if a.check and rows == 1:
                    ref = torch.from_numpy(np.fromfile(a.check, dtype=np.float32))
                    result["max_abs_diff_vs_csharp"] = float((logits[0] - ref).abs().max())
                pos = P
                for _ in range(a.warmup):
                    logits = model.forward(logits.argmax(-1).view(rows, 1), kc, vc, pos); pos += 1
                t0 = time.perf_counter()
                for _ in range(a.decode):
                    logits = model.forward(logits.argmax(-1).view(rows, 1), kc, vc, pos); pos += 1
                dt = min(dt, time.perf_counter() - t0)
            result["rows"][str(rows)] = {"tokens_per_s": rows * a.decode / dt, "ms_per_step": 1000 * dt / a.decode}
    print(json.dumps(result))

if __name__ == "__main__":
    main()
