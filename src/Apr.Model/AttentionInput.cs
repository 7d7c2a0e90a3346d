// What every layer's attention reads during one forward call, built once per call by LlamaModel: one record
// per way of attending, so a layer switches on the record's type (never on null tables). Internal plumbing;
// callers choose with AttentionPath.
using static TorchSharp.torch;

namespace Apr.Model;

internal abstract record AttentionInput
{
    private AttentionInput() { }

    /// <summary>Whole sequences (B, T), causal, no cache (training, scoring, the full forward the cached paths are checked against).</summary>
    internal sealed record Causal(Tensor Cos, Tensor Sin) : AttentionInput; // (1, 1, T, D) tables

    /// <summary>A cached step on <see cref="AttentionPath.Reference"/>: the padded chunk (B, T), tables at the step's positions.</summary>
    internal sealed record Cached(Tensor Cos, Tensor Sin, KvCache Cache, CacheStep Step) : AttentionInput; // (B, 1, T, D) tables

    /// <summary>A cached step on <see cref="AttentionPath.Packed"/>: the step's valid tokens (N, 1); rotary angles read from the tables' arrays.</summary>
    internal sealed record Packed(RotaryEmbedding Rope, KvCache Cache, CacheStep Step) : AttentionInput;
}
