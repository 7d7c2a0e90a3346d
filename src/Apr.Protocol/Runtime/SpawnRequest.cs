// SpawnRequest: what a parent asked for when its call ended in a spawn block.
namespace Apr.Protocol;

/// <summary>
/// A parent's spawn: <see cref="ParentText"/> is its whole text (prompt + completion, spawn block
/// included), <see cref="ChildLevel"/> the level of the children, <see cref="Children"/> in block order.
/// </summary>
public sealed record SpawnRequest(string ParentText, long Target, int ChildLevel, IReadOnlyList<SpawnedChild> Children);
