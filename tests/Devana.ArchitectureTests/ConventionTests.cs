using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Devana.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Devana.ArchitectureTests;

/// <summary>
/// One answer per "where does it go" (docs/decisions/ADR-005-conventions.md): each convention the codebase
/// settled on is checked here, so that a change that breaks one fails the build, not a later review.
/// </summary>
public sealed partial class ConventionTests
{
    private static readonly Assembly s_domain = typeof(Entity).Assembly;
    private static readonly Assembly s_application = typeof(Devana.Application.DependencyInjection).Assembly;
    private static readonly Assembly s_infrastructure = typeof(Devana.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly s_api = typeof(Devana.Api.DependencyInjection).Assembly;
    private static readonly Assembly[] s_all = [s_domain, s_application, s_infrastructure, s_api];

    [Fact]
    public void EveryMediatRHandler_IsInternalAndSealed()
    {
        var handlers = Types(s_application).Where(type => Implements(type, typeof(IRequestHandler<,>)) || Implements(type, typeof(IRequestHandler<>))).ToList();
        handlers.Should().NotBeEmpty("the scan must see the handlers");

        handlers.Where(type => type.IsVisible || !type.IsSealed).Select(type => type.FullName)
            .Should().BeEmpty("a handler is reached through MediatR only: nothing outside Application may call or extend it");
    }

    [Fact]
    public void EveryRequestValidator_IsInternalAndSealed()
    {
        var validators = Types(s_application)
            .Where(type => BaseTypes(type).Any(b => b.IsGenericType && b.GetGenericTypeDefinition() == typeof(FluentValidation.AbstractValidator<>)
                && typeof(IBaseRequest).IsAssignableFrom(b.GetGenericArguments()[0])))
            .ToList();
        validators.Should().NotBeEmpty("the scan must see the validators");

        validators.Where(type => type.IsVisible || !type.IsSealed).Select(type => type.FullName)
            .Should().BeEmpty("a command's validator runs in the MediatR pipeline only");
    }

    [Fact]
    public void NoController_ReferencesEntityFrameworkCore()
    {
        var controllers = Types(s_api).Where(type => typeof(ControllerBase).IsAssignableFrom(type)).ToList();
        controllers.Should().NotBeEmpty();

        var signatures = controllers.SelectMany(controller => controller
                .GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (controller, type: p.ParameterType))
                .Concat(controller.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)).Select(t => (controller, type: t)))
                .Concat(controller.GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Select(f => (controller, type: f.FieldType))))
            .Where(pair => FromEntityFrameworkCore(pair.type))
            .Select(pair => $"{pair.controller.Name}: {pair.type}");
        var usings = SourceFiles("src/Devana.Api/Controllers", "src/Devana.Api/Auth")
            .Where(file => File.ReadLines(file).Any(line => line.StartsWith("using Microsoft.EntityFrameworkCore", StringComparison.Ordinal)))
            .Select(Repository.Relative);

        signatures.Concat(usings).Should().BeEmpty("controllers send commands and queries; persistence is the handlers' business");
    }

    [Fact]
    public void NoAggregate_HasAPublicSetter()
    {
        var entities = Types(s_domain).Where(type => typeof(Entity).IsAssignableFrom(type) && !type.IsAbstract).ToList();
        entities.Should().Contain(typeof(Devana.Domain.Agents.Agent));

        entities.SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.SetMethod is { IsPublic: true })
                .Select(property => $"{type.Name}.{property.Name}"))
            .Should().BeEmpty("an aggregate changes only through its behaviour methods, which keep its rules");
    }

    [Fact]
    public void EveryDomainRule_IsASentenceInItsAggregatesRulesFolder()
    {
        var rules = Types(s_domain).Where(type => typeof(IBusinessRule).IsAssignableFrom(type) && !type.IsAbstract && !type.IsInterface).ToList();
        rules.Should().NotBeEmpty();

        rules.Where(type => !(type.Namespace?.EndsWith(".Rules", StringComparison.Ordinal) ?? false) || !type.Name.EndsWith("Rule", StringComparison.Ordinal) || !type.IsSealed)
            .Select(type => type.FullName)
            .Should().BeEmpty("a rule is a sealed <Sentence>Rule in Devana.Domain.<Aggregate>.Rules (docs/decisions/ADR-005-conventions.md)");
    }

    [Fact]
    public void ControllerFiles_DeclareOnlyTheController()
    {
        var strays = Types(s_api)
            .Where(type => type.Namespace == "Devana.Api.Controllers" && !type.IsNested && !typeof(ControllerBase).IsAssignableFrom(type))
            .Select(type => type.FullName);
        var files = SourceFiles("src/Devana.Api/Controllers")
            .Where(file => TopLevelTypeDeclaration().Matches(File.ReadAllText(file)).Count != 1)
            .Select(Repository.Relative);

        strays.Concat(files).Should().BeEmpty("a request or response body lives in its feature's folder, src/Devana.Api/<Feature>/");
    }

    [Fact]
    public void ApiBodies_LiveInTheirFeatureFolder()
    {
        var misplaced = Types(s_api)
            .Where(type => !type.IsNested && (type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Name.EndsWith("Response", StringComparison.Ordinal)))
            .Where(type => type.Namespace is "Devana.Api" or "Devana.Api.Controllers" or "Devana.Api.Contracts" or "Devana.Api.Infrastructure")
            .Select(type => type.FullName);

        misplaced.Should().BeEmpty("API bodies live in src/Devana.Api/<Feature>/ (Devana.Api.Common when several features share one)");
    }

    [Fact]
    public void ApplicationFeatureRoots_HoldFoldersOnly()
    {
        var root = Path.Combine(Repository.Root, "src", "Devana.Application");
        var files = Directory.EnumerateDirectories(root)
            .Where(folder => Path.GetFileName(folder) is not ("Common" or "bin" or "obj" or "Properties"))
            .Where(folder => !s_featuresStillSettling.Contains(Path.GetFileName(folder)))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs"))
            .Select(Repository.Relative);

        files.Should().BeEmpty("a feature's use cases are <Feature>/<UseCase>/ and what they share is <Feature>/Common/");
    }

    [Fact]
    public void DependencyInjectionFiles_AreNamedAfterTheirArea()
    {
        var files = SourceFiles("src")
            .Where(file => Path.GetFileName(file).EndsWith("ServiceCollectionExtensions.cs", StringComparison.Ordinal)
                || (Path.GetFileName(file).EndsWith("Extensions.cs", StringComparison.Ordinal) && File.ReadAllText(file).Contains("this IServiceCollection", StringComparison.Ordinal)))
            .Select(Repository.Relative);

        files.Should().BeEmpty("registrations live in the layer's DependencyInjection.cs or an <Area>Setup.cs");
    }

    [Fact]
    public void EveryOptionsClass_HasAValidatorThatRunsOnStart()
    {
        var options = s_all.SelectMany(Types)
            .Where(type => type.Name.EndsWith("Options", StringComparison.Ordinal) && type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();
        options.Should().Contain(typeof(Devana.Application.Files.Common.FilesOptions));
        var validated = s_all.SelectMany(Types)
            .SelectMany(type => type.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        var sources = string.Join('\n', SourceFiles("src").Select(File.ReadAllText));

        var problems = options.Where(type => !validated.Contains(type)).Select(type => $"{type.Name} has no IValidateOptions<{type.Name}>")
            .Concat(options.Where(type => !sources.Contains($"AddValidatedOptions<{type.Name}, ", StringComparison.Ordinal)
                    && !sources.Contains($"GetValidated<{type.Name}, ", StringComparison.Ordinal))
                .Select(type => $"{type.Name} is read neither with AddValidatedOptions (bind, validator, ValidateOnStart) nor with GetValidated"));

        problems.Should().BeEmpty("a bad setting stops start-up with a message naming its key");
    }

    [Fact]
    public void NoSettingsClass_ParsesConfigurationByHand()
    {
        var parsers = s_all.SelectMany(Types)
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(method => method.Name.EndsWith("FromConfiguration", StringComparison.Ordinal))
                .Select(method => $"{type.Name}.{method.Name}"))
            .Where(name => !s_parsersStillToConvert.Contains(name));

        parsers.Should().BeEmpty("settings are bound to an <Area>Options class and checked by its IValidateOptions (AddValidatedOptions)");
    }

    /// <summary>Agent tools have no use case of their own: a port and settings that Agents and Completions share (docs/decisions/ADR-005-conventions.md).</summary>
    private static readonly HashSet<string> s_featuresStillSettling = ["Tools"];

    /// <summary>Not converted yet; named so that the list can only shrink (docs/decisions/ADR-005-conventions.md).</summary>
    private static readonly HashSet<string> s_parsersStillToConvert =
    [
        "LlmSettings.FromConfiguration",
        "IdentitySettings.FromConfiguration",
        "CertificateSettings.FromConfiguration",
        "BootstrapSettings.FromConfiguration",
        "DatabaseOptions.FromConfiguration",
    ];

    [GeneratedRegex(@"^(?:public |internal |file )?(?:static |sealed |abstract |partial )*(?:class|record|struct|interface|enum) ", RegexOptions.Multiline)]
    private static partial Regex TopLevelTypeDeclaration();

    private static IEnumerable<Type> Types(Assembly assembly) =>
        assembly.GetTypes().Where(type => type.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !type.Name.StartsWith('<'));

    private static bool Implements(Type type, Type openInterface) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface);

    private static IEnumerable<Type> BaseTypes(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    private static bool FromEntityFrameworkCore(Type type) =>
        (type.Namespace?.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) ?? false)
        || BaseTypes(type).Any(b => b.FullName == "Microsoft.EntityFrameworkCore.DbContext")
        || (type.IsGenericType && type.GetGenericArguments().Any(FromEntityFrameworkCore));

    private static IEnumerable<string> SourceFiles(params string[] folders) =>
        folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !Repository.Relative(file).Split('/').Any(part => part is "bin" or "obj" or "Migrations"));
}

internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Devana.sln not found above the test output directory.");
    }
}
