namespace Devana.ArchitectureTests;

/// <summary>
/// The repository carries its own API reference (docs/api.md): no source comment, doc or test points a
/// reader at a file a clone does not have — the team's design folder beside the repository
/// (<c>../shared/design</c>), whose wire contract docs/api.md replaced.
/// </summary>
public sealed class SelfContainedReferenceTests
{
    private static readonly string[] s_outsideReferences = ["CONTRACT.md", "STYLE.md", "shared/design"];
    private static readonly string[] s_scannedExtensions = [".cs", ".md", ".json", ".js", ".html", ".cshtml"];

    [Fact]
    public void NoFile_PointsAtTheOutOfTreeContract()
    {
        var root = RepositoryRoot();
        var files = new[] { "src", "tests", "docs", "bench" }
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(path => s_scannedExtensions.Contains(Path.GetExtension(path)) && !IsBuildOutputOrVendored(root, path))
            .Append(Path.Combine(root, "README.md"))
            .ToList();
        files.Should().Contain(path => path.EndsWith(Path.Combine("docs", "api.md"), StringComparison.Ordinal), "the scan must see the docs");

        var offenders = files
            .Where(path => Path.GetFileName(path) != nameof(SelfContainedReferenceTests) + ".cs")
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, number: index + 1)))
            .Where(hit => s_outsideReferences.Any(reference => hit.line.Contains(reference, StringComparison.Ordinal)))
            .Select(hit => $"{Path.GetRelativePath(root, hit.path)}:{hit.number}: {hit.line.Trim()}")
            .ToList();

        offenders.Should().BeEmpty("a clone has no ../shared/design: point at docs/api.md (a section anchor where useful) instead");
    }

    private static bool IsBuildOutputOrVendored(string root, string path)
    {
        var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
        return parts.Any(part => part is "bin" or "obj" or "vendor" or "node_modules" or "results");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Devana.sln not found above the test output directory.");
    }
}
