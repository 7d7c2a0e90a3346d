#!/usr/bin/env python3
# hf_llama_check.py: the independent side of the Hugging Face format check. Implements Hugging Face's Llama
# forward (transformers' modeling_llama: embed_tokens, per layer RMSNorm -> q/k/v projections -> rotate-half
# rotary (cos/sin of cat(freqs, freqs)) -> causal softmax attention -> o_proj -> residual -> RMSNorm -> SwiGLU
# MLP -> residual; final norm; lm_head, or embed_tokens when tie_word_embeddings) from a model directory's
# config.json and model.safetensors alone, twice: in float64 (the reference the tolerance applies to) and as
# HF's float32 run (float32 rotary angles, norms and softmax in float32), whose difference is recorded too. The safetensors file is
# parsed here with struct + numpy (no transformers, no safetensors package), and the tensor names, shapes and
# config fields are checked against HF's LlamaForCausalLM set. It tokenizes nothing: the token ids and our logits
# come from the JSON that bench/Apr.Bench.HfCheck writes. It prints the max |logit difference| per trace and,
# with --record, stores it under the model's name in a results JSON. Needs only Debian's python3-torch and
# python3-numpy (run it with /usr/bin/python3). Exit code 1 when a check fails or a difference exceeds --tolerance.
#   /usr/bin/python3 bench/hf_llama_check.py --model models/apr --dump /tmp/apr-logits.json --record bench/results/hf-llama-check.json
import argparse, base64, json, math, struct, sys, time

import numpy as np
import torch

# The fields LlamaConfig (and PretrainedConfig's generic ones) define; config.json may hold no other.
LLAMA_CONFIG_FIELDS = {
    "architectures", "model_type", "torch_dtype", "transformers_version",
    "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
    "num_key_value_heads", "hidden_act", "max_position_embeddings", "initializer_range", "rms_norm_eps",
    "pretraining_tp", "use_cache", "pad_token_id", "bos_token_id", "eos_token_id", "tie_word_embeddings",
    "rope_theta", "rope_scaling", "attention_bias", "attention_dropout", "mlp_bias", "head_dim",
}
DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    """name -> float32 torch tensor, from the file's 8-byte little-endian header length, JSON header and raw data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        raw = data[base + start:base + end]
        if info["dtype"] == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")).astype(np.float32)
        tensors[name] = torch.from_numpy(a.reshape(info["shape"]).copy())
    return tensors


def check_layout(cfg, w):
    """Problems with config.json's fields or the tensors' names and shapes, as HF's LlamaForCausalLM expects them."""
    problems = [f"config.json field {k} is not a LlamaConfig field" for k in sorted(set(cfg) - LLAMA_CONFIG_FIELDS)]
    if cfg.get("architectures") != ["LlamaForCausalLM"]: problems.append(f"architectures is {cfg.get('architectures')}")
    if cfg.get("model_type") != "llama": problems.append(f"model_type is {cfg.get('model_type')}")
    if cfg.get("hidden_act", "silu") != "silu": problems.append(f"hidden_act is {cfg.get('hidden_act')}")
    c, f, v, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    h = cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads", h)
    d = cfg.get("head_dim") or c // h
    expected = {"model.embed_tokens.weight": [v, c], "model.norm.weight": [c]}
    if not cfg.get("tie_word_embeddings", False): expected["lm_head.weight"] = [v, c]
    for i in range(L):
        p = f"model.layers.{i}."
        expected.update({
            p + "input_layernorm.weight": [c], p + "post_attention_layernorm.weight": [c],
            p + "self_attn.q_proj.weight": [h * d, c], p + "self_attn.k_proj.weight": [kv * d, c],
            p + "self_attn.v_proj.weight": [kv * d, c], p + "self_attn.o_proj.weight": [c, h * d],
            p + "mlp.gate_proj.weight": [f, c], p + "mlp.up_proj.weight": [f, c], p + "mlp.down_proj.weight": [c, f],
        })
    for name in sorted(set(expected) - set(w)): problems.append(f"missing tensor {name}")
    for name in sorted(set(w) - set(expected)): problems.append(f"unexpected tensor {name}")
    for name in sorted(set(expected) & set(w)):
        if list(w[name].shape) != expected[name]: problems.append(f"{name} has shape {list(w[name].shape)}, HF expects {expected[name]}")
    return problems


def rms_norm(x, weight, eps, compute=torch.float32):
    """LlamaRMSNorm: normalise in float32 (HF), or in float64 for the float64 reference."""
    xc = x.to(compute)
    xc = xc * torch.rsqrt(xc.pow(2).mean(-1, keepdim=True) + eps)
    return weight * xc.to(x.dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def hf_llama_logits(cfg, w, ids, dtype=torch.float32):
    """Logits (T, V) of HF's LlamaForCausalLM for one sequence of ids. dtype float32 is HF's float32 run as
    transformers computes it (float32 rotary angles, norms and softmax in float32); float64 is the same forward
    with the weights, angles and every op in float64, the reference the check holds apr to."""
    w = {k: v.to(dtype) for k, v in w.items()}
    c, h, L, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["rms_norm_eps"]
    kv = cfg.get("num_key_value_heads", h)
    d = cfg.get("head_dim") or c // h
    t = len(ids)
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    ids = torch.tensor(ids, dtype=torch.long)
    # LlamaRotaryEmbedding (default rope): inv_freq, angles as a matmul, cos/sin of cat(freqs, freqs) (rotate-half layout).
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).to(compute) / d))
    freqs = (inv_freq[:, None] @ torch.arange(t, dtype=compute)[None, :]).transpose(0, 1)  # (T, D/2)
    emb = torch.cat((freqs, freqs), dim=-1)  # (T, D)
    cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)
    mask = torch.full((t, t), float("-inf"), dtype=dtype).triu(1)  # causal
    x = w["model.embed_tokens.weight"][ids]  # (T, C)
    for i in range(L):
        p = f"model.layers.{i}."
        r = x
        y = rms_norm(x, w[p + "input_layernorm.weight"], eps, compute)
        q = (y @ w[p + "self_attn.q_proj.weight"].T).view(t, h, d).transpose(0, 1)  # (H, T, D)
        k = (y @ w[p + "self_attn.k_proj.weight"].T).view(t, kv, d).transpose(0, 1)  # (KV, T, D)
        v = (y @ w[p + "self_attn.v_proj.weight"].T).view(t, kv, d).transpose(0, 1)  # (KV, T, D)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // kv, dim=0)  # repeat_kv
        v = v.repeat_interleave(h // kv, dim=0)
        scores = (q @ k.transpose(1, 2)) / math.sqrt(d) + mask  # (H, T, T)
        a = torch.softmax(scores, dim=-1, dtype=compute).to(dtype) @ v  # (H, T, D)
        x = r + a.transpose(0, 1).reshape(t, h * d) @ w[p + "self_attn.o_proj.weight"].T
        r = x
        y = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps, compute)
        gate = torch.nn.functional.silu(y @ w[p + "mlp.gate_proj.weight"].T)
        x = r + (gate * (y @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps, compute)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return (x @ head.T).to(torch.float64)  # (T, V)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True, help="model directory: config.json + model.safetensors")
    ap.add_argument("--dump", required=True, help="JSON from bench/Apr.Bench.HfCheck: ids and our logits per trace")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--record", help="results JSON to update with this model's figures")
    ap.add_argument("--name", help="name of the entry in --record (default: the model directory's name)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    with open(f"{args.model}/config.json") as f:
        cfg = json.load(f)
    w = read_safetensors(f"{args.model}/model.safetensors")
    problems = check_layout(cfg, w)
    for p in problems: print("layout:", p)
    with open(args.dump) as f:
        dump = json.load(f)
    # Twice per trace: the HF forward in float64 (the reference: only the layout, names and rotary convention
    # can make it differ from ours, plus our own float32 rounding), which --tolerance applies to; and HF's
    # float32 run as transformers computes it, recorded beside it (its float32 rotary angles lose precision at
    # far positions, and vLLM computes them the same way).
    rows, worst, worst_hf = [], 0.0, 0.0
    with torch.no_grad():
        for tr in dump["traces"]:
            t0 = time.time()
            ours = np.frombuffer(base64.b64decode(tr["logits_f32_base64"]), dtype="<f4").reshape(tr["logits_shape"]).astype(np.float64)
            ref = hf_llama_logits(cfg, w, tr["ids"], torch.float64).numpy()
            hf = hf_llama_logits(cfg, w, tr["ids"], torch.float32).numpy()
            diff, diff_hf, diff_hf_ref = float(np.abs(ref - ours).max()), float(np.abs(hf - ours).max()), float(np.abs(hf - ref).max())
            same_argmax = float((hf.argmax(-1) == ours.argmax(-1)).mean())
            worst, worst_hf = max(worst, diff), max(worst_hf, diff_hf)
            rows.append({"trace": tr["name"], "tokens": tr["tokens"], "max_abs_logit_diff_vs_hf_float64": diff,
                         "max_abs_logit_diff_vs_hf_float32": diff_hf, "hf_float32_vs_hf_float64": diff_hf_ref,
                         "max_abs_logit": float(np.abs(ref).max()), "argmax_agreement_vs_hf_float32": same_argmax})
            print(f"{tr['name']}: {tr['tokens']} tokens, max |logit diff| vs HF float64 {diff:.3g}, vs HF float32 {diff_hf:.3g} "
                  f"(HF float32 vs float64: {diff_hf_ref:.3g}), |logit| up to {np.abs(ref).max():.3g}, argmax agrees with HF float32 "
                  f"at {same_argmax:.1%} of positions, {time.time() - t0:.1f}s")
    ok = not problems and worst <= args.tolerance
    print(f"{args.model}: layout {'ok' if not problems else 'FAILED'}; max |logit diff| over {len(rows)} traces: {worst:.3g} vs HF's "
          f"forward in float64 ({'<=' if worst <= args.tolerance else '>'} {args.tolerance:g}), {worst_hf:.3g} vs HF's float32 run")
    if args.record:
        try:
            with open(args.record) as f:
                record = json.load(f)
        except FileNotFoundError:
            record = {"format": 1, "what": "HF Llama forward (bench/hf_llama_check.py, from config.json + model.safetensors alone; in float64, and as HF's float32 run) vs apr's float32 forward (bench/Apr.Bench.HfCheck), logits on sample traces of the reference samples", "models": {}}
        record["models"][args.name or args.model.rstrip("/").split("/")[-1]] = {
            "model_dir": args.model, "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "torch": torch.__version__, "layout_problems": problems, "tolerance": args.tolerance,
            "max_abs_logit_diff_vs_hf_float64": worst, "max_abs_logit_diff_vs_hf_float32": worst_hf,
            "passed": ok, "traces": rows,
        }
        with open(args.record, "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
