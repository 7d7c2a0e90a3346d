// EvalCondition: one thing the evaluation runs over the problems: a policy (the model, a no-model line
// policy, or the symbolic solver that wrote the demonstrations), a method, and how it is decoded (guided
// or not, temperature, samples per problem, conditioning prefix, a total-token budget, one problem at a
// time for latency). Plain data; Evaluator runs it.
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Evaluation;

public enum EvalPolicy
{
    /// <summary>The trained model.</summary>
    Model,
    /// <summary>Uniform among the grammar's legal lines, giving up included: the floor.</summary>
    Uniform,
    /// <summary>Uniform among the legal lines, but never giving up while another line exists.</summary>
    Random,
    /// <summary>The zero-parameter enumerator: explore, spawn, move; smallest numbers first; give up last.</summary>
    Enumerate,
    /// <summary>The symbolic solver that wrote the demonstrations (SoS+ or APR).</summary>
    Symbolic,
}

/// <summary>
/// A width-capped symbolic APR tree (`apr eval --symbolic-trees`): the root thread keeps <see cref="Beam"/>
/// successors per expansion and spawns them (always, when 2+), each child searches with beam
/// <see cref="ChildBeam"/>, nesting <see cref="Depth"/> levels (null: the evaluation's depth). A no-learning
/// policy like the paper's solver, with narrow children: far cheaper trees at 4-6 numbers.
/// </summary>
public sealed record SymbolicTree(int Beam, int ChildBeam, int? Depth = null)
{
    /// <summary>The paper's settings with this width: beam fixed, children fixed, always spawn, every kept successor a child.</summary>
    public Apr.Search.AprOptions Options(int depth) => Apr.Search.AprOptions.Paper with
    {
        BeamMin = Beam, BeamMax = Beam, ChildBeamMin = ChildBeam, ChildBeamMax = ChildBeam,
        SpawnProbability = 1, MaxChildrenPerSpawn = Beam, Depth = Depth ?? depth,
    };

    /// <summary>"b2c2" or "b2c2d2" (file names, --conditions).</summary>
    public string Name => $"b{Beam}c{ChildBeam}{(Depth is { } d ? $"d{d}" : "")}";

    public string Label => $"APR symbolic, beam {Beam}, child beam {ChildBeam}{(Depth is { } d ? $", depth {d}" : "")}";

    /// <summary>Parses "B:C" or "B:C:D"; throws <see cref="FormatException"/> naming the text and what is wrong.</summary>
    public static SymbolicTree Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var v = new int[parts.Length];
        bool ok = parts.Length is 2 or 3;
        for (int i = 0; ok && i < parts.Length; i++) ok = int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v[i]);
        if (!ok) throw new FormatException($"a symbolic tree is BEAM:CHILD_BEAM or BEAM:CHILD_BEAM:DEPTH (e.g. 2:2 or 2:2:2), got '{text}'");
        var tree = new SymbolicTree(v[0], v[1], v.Length == 3 ? v[2] : null);
        try
        {
            tree.Options(1).Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"symbolic tree '{text}': {e.Message}", e);
        }
        return tree;
    }
}

/// <summary>
/// <see cref="Name"/> is unique within a run (file names, JSON keys); <see cref="Label"/> is for plots.
/// <see cref="OneAtATime"/>: problems run one after another (a problem's own threads still batch), so
/// latency is a single problem's wall-clock time on this machine, not a share of a crowded batch.
/// </summary>
public sealed record EvalCondition(
    string Name,
    string Label,
    SearchMethod Method,
    EvalPolicy Policy,
    bool Guided = true,
    double Temperature = 0,
    int Samples = 1,
    int? SubCallBudget = null,
    int? TokenBudget = null,
    bool OneAtATime = false,
    int? Limit = null,
    long? Budget = null,
    SymbolicTree? Tree = null)
{
    public string MethodName => Method.WireName();

    /// <summary>The runtime's choice policy (null for the symbolic solver, which does not run on the runtime).</summary>
    public ChoicePolicy? Choices => Policy switch
    {
        EvalPolicy.Model => ChoicePolicy.Model,
        EvalPolicy.Uniform => ChoicePolicy.Uniform,
        EvalPolicy.Random => ChoicePolicy.Random,
        EvalPolicy.Enumerate => ChoicePolicy.Enumerate,
        _ => null,
    };

    /// <summary>The policy's wire name: model, uniform, random, enumerate, symbolic, or symbolic-b2c2 (a <see cref="SymbolicTree"/>).</summary>
    public string PolicyName => Choices?.Name() ?? (Tree is null ? "symbolic" : $"symbolic-{Tree.Name}");

    /// <summary>The problems it runs out of <paramref name="available"/> (the first ones, up to <see cref="Limit"/>).</summary>
    public int ProblemCount(int available) => Math.Min(available, Limit ?? int.MaxValue);

    /// <summary>Samples it produces over <paramref name="available"/> problems.</summary>
    public long SampleCount(int available) => (long)ProblemCount(available) * Samples;
}
