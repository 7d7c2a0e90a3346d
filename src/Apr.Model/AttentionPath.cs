// AttentionPath: how a cached forward step (LlamaForCausalLm.Forward with a KvCache) computes attention.
// The caller names it for every step (TorchDecoder takes one for its lifetime); the model holds no switch of
// its own, so two callers of one model cannot change each other's path. Both paths give the same logits as
// the uncached full forward, to float rounding (tests/Apr.Model.Tests/AttentionPathTests).
namespace Apr.Model;

/// <summary>The attention of a cached step: <see cref="Packed"/> for inference, <see cref="Reference"/> to check it.</summary>
public enum AttentionPath
{
    /// <summary>
    /// Torch ops, the simplest correct form: the chunk (B, T) padded, each row's keys and values scattered into
    /// its slot, the slots gathered and scaled_dot_product_attention masked by position. Any dtype, device or autograd.
    /// </summary>
    Reference,

    /// <summary>
    /// What inference runs: the step's valid tokens packed without padding, attention and norms in C# over the
    /// cache memory (DecodeAttention), each token over its own slot up to its position. Needs float32 weights
    /// and cache on the CPU and no autograd; a step that lacks them fails rather than falling back.
    /// </summary>
    Packed,
}
