// SolveItem: one problem to solve, with the seed of its random streams and its sample index (cons@n).
using Apr.Countdown;

namespace Apr.Inference;

/// <summary>Every thread of the item draws from streams derived from <see cref="Seed"/> by explicit arithmetic.</summary>
public sealed record SolveItem(CountdownProblem Problem, ulong Seed, int Sample = 0);
