using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Protocol.Tests;

/// <summary>Randomly corrupted traces fail with ProtocolException / a failed validation, never a crash from deep inside.</summary>
public sealed class FuzzTests
{
    private const string Alphabet = "0123456789,:#[]' =+-*/<>\nabcXYZ.";

    private static string Corrupt(string text, ref Rng rng)
    {
        var sb = new StringBuilder(text);
        var edits = rng.NextInt(1, 3);
        for (var e = 0; e < edits && sb.Length > 0; e++)
        {
            var at = (int)rng.NextBelow((ulong)sb.Length);
            switch (rng.NextInt(0, 3))
            {
                case 0: sb[at] = Alphabet[(int)rng.NextBelow((ulong)Alphabet.Length)]; break;
                case 1: sb.Remove(at, 1); break;
                case 2: sb.Insert(at, Alphabet[(int)rng.NextBelow((ulong)Alphabet.Length)]); break;
                default: sb.Insert(at, "99999999999999999999"); break;
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Corrupted_trees_fail_validation_cleanly()
    {
        var rng = new Rng(2024);
        var failures = 0;
        for (var i = 0; i < 1500; i++)
        {
            var sample = i % 2 == 0 ? ReferenceSamples.Sos[i % 50] : ReferenceSamples.Apr[i % 50];
            var calls = sample.Tree.Calls.ToList();
            var k = (int)rng.NextBelow((ulong)calls.Count);
            calls[k] = rng.NextInt(0, 3) == 0
                ? calls[k] with { Prompt = Corrupt(calls[k].Prompt, ref rng) }
                : calls[k] with { Completion = Corrupt(calls[k].Completion, ref rng) };
            var result = TraceValidator.Validate(sample.Tree with { Calls = calls }); // must not throw
            if (!result.Ok)
            {
                failures++;
                Assert.False(string.IsNullOrEmpty(result.Reason));
            }
        }
        Assert.True(failures > 1000, $"only {failures} of 1500 corruptions were caught");
    }

    [Fact]
    public void Corrupted_parent_calls_raise_only_protocol_exceptions()
    {
        var rng = new Rng(99);
        var parents = ReferenceSamples.Apr.SelectMany(s => s.Tree.Calls).Where(c => c.Thread == "0" && SpawnProtocol.EndsInSpawnBlock(c.Text)).ToList();
        Assert.NotEmpty(parents);
        for (var i = 0; i < 1500; i++)
        {
            var call = parents[i % parents.Count];
            var completion = Corrupt(call.Completion, ref rng);
            try { SpawnProtocol.ParseSpawn(call.Prompt, completion, GrammarSettings.AprRoot); }
            catch (ProtocolException e) { Assert.False(string.IsNullOrEmpty(e.Message)); }
            var marks = GrammarReplay.Mark(call.Prompt, completion, GrammarSettings.AprRoot);
            Assert.True(marks.Ok || marks.LeftAt <= completion.Length);
        }
    }
}
