// SearchMethod: the one method type, from the grammar to the records. SoS+ is one serialized thread
// that dives; APR is a tree of threads that spawn and join. Its wire name ("sosp" / "apr") is the only
// spelling in files, flags and JSON; its label ("SoS+" / "APR") the only one in reports and plots.
namespace Apr.Protocol;

public enum SearchMethod
{
    /// <summary>Serialized search: prompt <c>Current State: ...</c>; may dive with <c>Start Sub Search at level k</c>.</summary>
    SosPlus,
    /// <summary>APR: prompt <c>Moving to Node #id</c> + <c>Current State: ...</c>; may spawn children.</summary>
    Apr,
}

public static class SearchMethods
{
    /// <summary>The wire names, in the order flags list them.</summary>
    public static IReadOnlyList<string> WireNames { get; } = ["apr", "sosp"];

    public static string WireName(this SearchMethod m) => m == SearchMethod.Apr ? "apr" : "sosp";

    public static string Label(this SearchMethod m) => m == SearchMethod.Apr ? "APR" : "SoS+";

    public static bool TryParse(string? name, out SearchMethod method)
    {
        method = name == "sosp" ? SearchMethod.SosPlus : SearchMethod.Apr;
        return name is "apr" or "sosp";
    }

    /// <summary>The method of a wire name; an unknown name is an <see cref="ArgumentException"/> naming it.</summary>
    public static SearchMethod Parse(string? name) =>
        TryParse(name, out var m) ? m : throw new ArgumentException($"method must be \"apr\" or \"sosp\", got {(name is null ? "nothing" : $"\"{name}\"")}");
}
