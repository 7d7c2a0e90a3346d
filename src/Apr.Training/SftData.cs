// Turns trace files into tokenized training and validation sequences. The split is by problem (file line),
// drawn from the seed, so all calls of one problem land on the same side. Skips (and counts) sequences
// longer than the limit rather than truncating them, and leaves out (and counts) sequences in which the
// weighting trains no token: with `--loss-on chosen` a call the grammar forces from end to end (a parent
// resumed after a join that replays its child's solution) teaches nothing, and a batch of only such calls
// (length-bucketed batching gathers them) made an optimizer step with zero gradients, which AdamW still
// moves by its momentum and decay: 46 of 400 steps on 5-number trees did that before this change.
using Apr.Core;
using Apr.Tokenization;

namespace Apr.Training;

/// <summary>Tokenized train/validation sequences of SFT.</summary>
public sealed class SftData
{
    private SftData(List<SftSequence> train, List<SftSequence> val, int skipped, int untrained, int longest)
    {
        Train = train;
        Val = val;
        Skipped = skipped;
        Untrained = untrained;
        Longest = longest;
    }

    public IReadOnlyList<SftSequence> Train { get; }
    public IReadOnlyList<SftSequence> Val { get; }

    /// <summary>Sequences dropped for being longer than the limit.</summary>
    public int Skipped { get; }

    /// <summary>Sequences left out because the weighting trains none of their tokens.</summary>
    public int Untrained { get; }

    /// <summary>Tokens in the longest kept sequence (inputs, i.e. without the last target).</summary>
    public int Longest { get; }

    /// <summary>Reads, tokenizes, weights and splits the calls of <paramref name="files"/>.</summary>
    public static SftData Load(IReadOnlyList<string> files, TraceTokenizer tokenizer, TokenWeighting weighting, double valFraction, ulong seed, int maxLength, bool checkTraces = true)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(weighting);
        var train = new List<SftSequence>();
        var val = new List<SftSequence>();
        int skipped = 0, untrained = 0;
        for (int f = 0; f < files.Count; f++)
        {
            ulong fileSeed = Rng.Mix(seed, (ulong)f);
            foreach (var call in TraceCalls.Read(files[f], checkTraces))
            {
                var s = Tokenize(call, tokenizer, weighting);
                if (s.Length > maxLength)
                {
                    skipped++;
                    continue;
                }
                if (Array.TrueForAll(s.Weights, w => w == 0))
                {
                    untrained++;
                    continue;
                }
                bool held = Rng.ForItem(fileSeed, (ulong)call.Line).NextDouble() < valFraction;
                (held ? val : train).Add(s);
            }
        }
        if (train.Count == 0) throw new InvalidDataException($"no training sequences in {string.Join(", ", files)} ({skipped} longer than {maxLength} tokens, {untrained} with no trained token, {val.Count} held out)");
        return new SftData(train, val, skipped, untrained, train.Concat(val).Max(s => s.Length));
    }

    /// <summary>BOS + prompt + completion + EOS, with the weighting's per-target weights.</summary>
    public static SftSequence Tokenize(SftCall call, TraceTokenizer tokenizer, TokenWeighting weighting)
    {
        int[] tokens = tokenizer.EncodeCall(call.Prompt, call.Completion, out int promptLength);
        float[] weights = weighting(call, tokens, promptLength - 1);
        if (weights.Length != tokens.Length - 1)
            throw new InvalidOperationException($"token weighting returned {weights.Length} weights for {tokens.Length - 1} targets ({call.File}:{call.Line + 1}, thread {call.Thread})");
        return new SftSequence(tokens, weights);
    }
}
