// SpawnedChild and SpawnRequest: a parsed spawn block, resolved to search nodes and child prompts.
using Apr.Countdown;

namespace Apr.Protocol;

/// <summary>Child <see cref="Index"/> of a spawn block: its start node (resolved from the parent's lines) and its prompt.</summary>
public sealed record SpawnedChild(int Index, SearchNode Node, string Prompt);
