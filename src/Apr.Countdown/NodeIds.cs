// NodeIds: search-node names as the trace writes them. The root is "0"; the k-th kept
// non-terminal successor of node x is "x,k".
namespace Apr.Countdown;

public static class NodeIds
{
    public const string Root = "0";

    public static string Child(string parent, int k) => string.Concat(parent, ",", k.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Depth below the root: "0" is 0, "0,3" is 1.</summary>
    public static int Depth(string id) => id.AsSpan().Count(',');

    /// <summary>True for "0", "0,1", "0,1,12": comma-separated non-negative integers without leading zeros, starting at "0".</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id[0] != '0') return false;
        foreach (var part in id.ToString().Split(','))
            if (!Operation.TryParseNumber(part, out var v, out _) || v > int.MaxValue) return false;
        return true;
    }
}
