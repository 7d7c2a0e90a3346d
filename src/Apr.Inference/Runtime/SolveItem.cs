// SolveItem: one problem to solve, with the seed of its random streams, its sample index (cons@n), and
// optionally its own budget, Token Budget prefix and sampling (overriding SolveOptions: RL draws a budget
// per problem; the server's requests each name their own temperature).
using Apr.Countdown;

namespace Apr.Inference;

/// <summary>Every thread of the item draws from streams derived from <see cref="Seed"/> by explicit arithmetic.</summary>
public sealed record SolveItem(CountdownProblem Problem, ulong Seed, int Sample = 0, long? Budget = null, int? TokenBudget = null, SamplingOptions? Sampling = null);
