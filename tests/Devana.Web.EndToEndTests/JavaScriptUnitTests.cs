using System.Diagnostics;

namespace Devana.Web.EndToEndTests;

/// <summary>
/// The console's own logic (SSE parsing, error messages, the usage chart's data, formatting), tested
/// with node's built-in test runner on the very files Devana serves. Node comes with Debian's nodejs
/// (<c>.ci/run</c> installs it when missing).
/// </summary>
public sealed class JavaScriptUnitTests
{
    private static readonly string[] s_pureModules = ["sse.js", "errors.js", "usage.js", "format.js"];

    [SkippableFact]
    public async Task NodeTestRunner_PassesEveryTestOfTheConsolesLogic()
    {
        var node = FindNode();
        Skip.If(node is null, "node is not installed: install Debian's nodejs (apt-get install nodejs; .ci/run does).");

        // The served modules are plain ES modules named .js; a package.json marks them as such for node.
        var work = Path.Combine(Path.GetTempPath(), "devana-js-tests", Guid.NewGuid().ToString("N"));
        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        try
        {
            var source = Path.Combine(RepositoryRoot(), "src", "Devana.Api", "wwwroot", "app", "js");
            foreach (var module in s_pureModules)
            {
                File.Copy(Path.Combine(source, module), Path.Combine(app, module));
            }

            await File.WriteAllTextAsync(Path.Combine(work, "package.json"), """{"type": "module"}""");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "js", "logic.test.mjs"), Path.Combine(work, "logic.test.mjs"));

            var start = new ProcessStartInfo(node!, ["--test", "logic.test.mjs"])
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var report = await output + await errors;

            process.ExitCode.Should().Be(0, report);
            report.Should().Contain("# fail 0").And.MatchRegex(@"# pass [1-9]");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "node"))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Devana.sln not found above " + AppContext.BaseDirectory);
    }
}
