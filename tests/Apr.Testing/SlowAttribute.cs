// [Slow]: marks a test (or a whole class) as belonging to the slow tier, as the xunit trait
// Category=Slow. Slow means over about 2 s on the 2-core CI machine: training, RL, the command-line
// pipelines, and the few exhaustive cross-checks. The fast tier runs alone with
//   dotnet test Apr.slnx --filter "Category!=Slow"
// and the full suite (what CI runs) is plain `dotnet test Apr.slnx`.
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Apr.Testing;

[TraitDiscoverer("Apr.Testing.SlowTraitDiscoverer", "Apr.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait name and value a filter selects on.</summary>
    public const string Category = "Category", Value = "Slow";
}

/// <summary>Tells xunit that <see cref="SlowAttribute"/> means the trait Category=Slow.</summary>
public sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [KeyValuePair.Create(SlowAttribute.Category, SlowAttribute.Value)];
}
