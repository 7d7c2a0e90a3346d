// [Browser]: marks a test that drives a real headless Chromium (tests/Apr.Browser.Tests), as the xunit
// traits Category=Browser and Category=Slow: the fast tier (--filter "Category!=Slow") runs without a
// browser; --filter "Category=Browser" runs only these. The full suite runs them, and they fail (never
// skip) when Chromium is missing: .ci/run installs it.
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Apr.Testing;

[TraitDiscoverer("Apr.Testing.BrowserTraitDiscoverer", "Apr.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserAttribute : Attribute, ITraitAttribute
{
    public const string Value = "Browser";
}

/// <summary>Tells xunit that <see cref="BrowserAttribute"/> means Category=Browser and Category=Slow.</summary>
public sealed class BrowserTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [KeyValuePair.Create(SlowAttribute.Category, BrowserAttribute.Value), KeyValuePair.Create(SlowAttribute.Category, SlowAttribute.Value)];
}
