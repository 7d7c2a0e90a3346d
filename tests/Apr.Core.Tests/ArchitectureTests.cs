// The project graph README states is the graph the code has. README's list under "Dependencies point one
// way" ("- Project -> A, B" or "-> nothing", each project below the ones it references) is read and checked
// against every src/*/*.csproj (its ProjectReference items), against the namespaces each project's code
// names (`Apr.X`, X a project, outside // comments), and for the claims made beside it: no cycles,
// training and RL do not reach the solvers, ScottPlot and TorchSharp each in one project, benchmarks and
// src free of test projects.
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Apr.Testing;

namespace Apr.Core.Tests;

public sealed partial class ArchitectureTests
{
    private static string Src => Path.Combine(TestPaths.RepoRoot, "src");

    /// <summary>README's list, in its order: project (without "Apr.") -> the projects it references.</summary>
    private static List<(string Project, string[] References)> StatedGraph()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("Dependencies point one way", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no paragraph starting 'Dependencies point one way'");
        var graph = new List<(string, string[])>();
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith("- ", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith("- ", StringComparison.Ordinal)))
        {
            var m = GraphLine().Match(line);
            Assert.True(m.Success, $"README graph line not of the form '- Project -> A, B' or '-> nothing': {line}");
            var refs = m.Groups[2].Value == "nothing" ? [] : m.Groups[2].Value.Split(", ");
            graph.Add((m.Groups[1].Value, refs));
        }
        Assert.NotEmpty(graph);
        return graph;
    }

    private static string[] Projects() =>
        [.. Directory.GetDirectories(Src, "Apr.*").Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj"))).Select(d => Path.GetFileName(d)["Apr.".Length..]).Order(StringComparer.Ordinal)];

    private static XDocument Csproj(string dir) => XDocument.Load(Directory.GetFiles(dir, "*.csproj").Single());

    private static IEnumerable<string> Includes(XDocument csproj, string item) =>
        csproj.Descendants(item).Select(e => e.Attribute("Include")?.Value ?? "");

    /// <summary>Our projects a csproj references, by short name ("../Apr.Data/Apr.Data.csproj" -> "Data").</summary>
    private static string[] ProjectReferences(string dir) =>
        [.. Includes(Csproj(dir), "ProjectReference").Select(i => Path.GetFileNameWithoutExtension(i)["Apr.".Length..]).Order(StringComparer.Ordinal)];

    /// <summary>The namespaces of our projects that a project's code names, by short name (its own left out; `Apr.X` where X is no project, such as a property named Apr, is not one).</summary>
    private static string[] NamespacesUsed(string project)
    {
        var used = new SortedSet<string>(StringComparer.Ordinal);
        var dir = Path.Combine(Src, "Apr." + project);
        var sources = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"));
        foreach (var file in sources)
            foreach (var raw in File.ReadLines(file))
            {
                var comment = raw.IndexOf("//", StringComparison.Ordinal);
                var code = comment >= 0 ? raw[..comment] : raw;
                foreach (Match m in NamespaceUse().Matches(code)) used.Add(m.Groups[1].Value);
            }
        used.Remove(project);
        return [.. used.Intersect(Projects())];
    }

    [Fact]
    public void Readme_lists_every_src_project_once_each_below_the_projects_it_references()
    {
        var graph = StatedGraph();
        Assert.Equal(Projects(), graph.Select(g => g.Project).Order(StringComparer.Ordinal));
        var above = new HashSet<string>();
        foreach (var (project, references) in graph)
        {
            foreach (var r in references)
                Assert.True(above.Contains(r), $"README: {project} -> {r}, but {r} is not listed above {project} (a cycle, or the order is wrong)");
            Assert.True(above.Add(project), $"README lists {project} twice");
        }
    }

    [Fact]
    public void Every_csproj_references_exactly_the_projects_readme_lists()
    {
        foreach (var (project, references) in StatedGraph())
            Assert.True(references.Order(StringComparer.Ordinal).SequenceEqual(ProjectReferences(Path.Combine(Src, "Apr." + project))),
                $"Apr.{project}.csproj references [{string.Join(", ", ProjectReferences(Path.Combine(Src, "Apr." + project)))}]; README says [{string.Join(", ", references.Order(StringComparer.Ordinal))}]");
    }

    [Fact]
    public void Every_project_references_exactly_the_namespaces_its_code_uses()
    {
        foreach (var (project, references) in StatedGraph())
            Assert.True(references.Order(StringComparer.Ordinal).SequenceEqual(NamespacesUsed(project)),
                $"Apr.{project}'s code uses [{string.Join(", ", NamespacesUsed(project))}]; README says it references [{string.Join(", ", references.Order(StringComparer.Ordinal))}]");
    }

    [Fact]
    public void Training_and_rl_do_not_reach_the_symbolic_solvers_and_the_model_reaches_only_core()
    {
        var graph = StatedGraph().ToDictionary(g => g.Project, g => g.References);
        HashSet<string> Reach(string p) => [.. graph[p].SelectMany(r => Reach(r).Append(r))];
        foreach (var p in new[] { "Training", "Reinforcement", "Data" })
            Assert.DoesNotContain("Search", Reach(p));
        Assert.Equal(["Core"], Reach("Model"));
    }

    [Fact]
    public void ScottPlot_and_TorchSharp_are_each_referenced_by_one_project()
    {
        var packages = Projects().ToDictionary(p => p, p => Includes(Csproj(Path.Combine(Src, "Apr." + p)), "PackageReference").ToList());
        Assert.Equal(["Plotting"], packages.Where(p => p.Value.Contains("ScottPlot")).Select(p => p.Key));
        Assert.Equal(["Model"], packages.Where(p => p.Value.Contains("TorchSharp-cpu")).Select(p => p.Key));
    }

    [Fact]
    public void Benchmarks_and_src_reference_no_test_project()
    {
        var dirs = Directory.GetDirectories(Src).Concat(Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "bench")))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length == 1);
        foreach (var dir in dirs)
            foreach (var include in Includes(Csproj(dir), "ProjectReference"))
                Assert.False(include.Replace('\\', '/').Contains("/tests/", StringComparison.Ordinal) || include.StartsWith("../Apr.Testing", StringComparison.Ordinal),
                    $"{Path.GetFileName(dir)} references the test project {include}");
    }

    [GeneratedRegex(@"^- (\w+) -> (nothing|\w+(?:, \w+)*)$")]
    private static partial Regex GraphLine();

    [GeneratedRegex(@"\bApr\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex NamespaceUse();
}
