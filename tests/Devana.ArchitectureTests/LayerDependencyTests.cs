using System.Reflection;
using System.Xml.Linq;

namespace Devana.ArchitectureTests;

/// <summary>
/// Keeps the layers honest: Domain depends on nothing, Application on Domain, Infrastructure on
/// Application, Api composes them. Checked twice: in the compiled assemblies' references (what the code
/// really uses) and in the project files (what a project could start using).
/// </summary>
public sealed class LayerDependencyTests
{
    private static readonly Assembly s_domain = typeof(Devana.Domain.Common.Entity).Assembly;
    private static readonly Assembly s_application = typeof(Devana.Application.DependencyInjection).Assembly;
    private static readonly Assembly s_infrastructure = typeof(Devana.Infrastructure.DependencyInjection).Assembly;

    [Fact]
    public void Domain_DependsOnNoOtherLayerNorFramework()
    {
        LayerRules.ForbiddenReferences(s_domain, LayerRules.DomainForbidden).Should().BeEmpty();
        LayerRules.ForbiddenProjectReferences("Devana.Domain", ["Devana.Application", "Devana.Infrastructure", "Devana.Api"]).Should().BeEmpty();
        LayerRules.PackageReferences("Devana.Domain").Should().BeEmpty("Domain carries no packages");
    }

    [Fact]
    public void Application_DoesNotDependOnInfrastructureOrApi()
    {
        LayerRules.ForbiddenReferences(s_application, ["Devana.Infrastructure", "Devana.Api", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc"]).Should().BeEmpty();
        LayerRules.ForbiddenProjectReferences("Devana.Application", ["Devana.Infrastructure", "Devana.Api"]).Should().BeEmpty();
    }

    [Fact]
    public void Infrastructure_DoesNotDependOnApi()
    {
        LayerRules.ForbiddenReferences(s_infrastructure, ["Devana.Api"]).Should().BeEmpty();
        LayerRules.ForbiddenProjectReferences("Devana.Infrastructure", ["Devana.Api"]).Should().BeEmpty();
    }

    // Tests of the test: the same checks must see a forbidden reference where one exists.

    [Fact]
    public void ForbiddenReferences_WhenAssemblyUsesEfCore_ReportsIt()
    {
        LayerRules.ForbiddenReferences(s_infrastructure, LayerRules.DomainForbidden)
            .Should().Contain(name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public void ForbiddenReferences_WhenAssemblyUsesAnotherLayer_ReportsIt()
    {
        LayerRules.ForbiddenReferences(s_infrastructure, ["Devana.Application"]).Should().Equal("Devana.Application");
    }

    [Fact]
    public void ForbiddenProjectReferences_WhenProjectReferencesAnotherLayer_ReportsIt()
    {
        LayerRules.ForbiddenProjectReferences("Devana.Infrastructure", ["Devana.Application"]).Should().Equal("Devana.Application");
    }
}

internal static class LayerRules
{
    public static readonly string[] DomainForbidden =
        ["Devana.Application", "Devana.Infrastructure", "Devana.Api", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MediatR", "OpenIddict"];

    public static IReadOnlyList<string> ForbiddenReferences(Assembly assembly, IEnumerable<string> forbiddenPrefixes) =>
        assembly.GetReferencedAssemblies()
            .Select(reference => reference.Name ?? string.Empty)
            .Where(name => forbiddenPrefixes.Any(prefix => name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal)))
            .ToList();

    public static IReadOnlyList<string> ForbiddenProjectReferences(string project, IEnumerable<string> forbidden) =>
        ProjectFile(project).Descendants("ProjectReference")
            .Select(element => Path.GetFileNameWithoutExtension(((string?)element.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
            .Where(forbidden.Contains)
            .ToList();

    public static IReadOnlyList<string> PackageReferences(string project) =>
        ProjectFile(project).Descendants("PackageReference").Select(element => (string?)element.Attribute("Include") ?? string.Empty).ToList();

    private static XDocument ProjectFile(string project)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Devana.sln not found above the test output directory.");
        }

        return XDocument.Load(Path.Combine(directory.FullName, "src", project, project + ".csproj"));
    }
}
