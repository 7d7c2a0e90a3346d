// ValidationOptions: limits the validator holds a trace tree to.
namespace Apr.Protocol;

/// <summary>APR nesting depth (paper 1), SoS+ dive depth (reference unlimited), children per spawn.</summary>
public sealed record ValidationOptions(int AprMaxDepth = 1, int SosMaxDepth = 64, int MaxChildren = int.MaxValue)
{
    public static ValidationOptions Default { get; } = new();
}
