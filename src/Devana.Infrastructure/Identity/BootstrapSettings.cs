using Devana.Application.Users.Common;
using Devana.Domain.Workspaces.Rules;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// <c>Devana:Bootstrap</c>: what start-up creates when it is missing (idempotently): the workspace,
/// its owner, a confidential machine client holding every API scope, and the first-party public
/// client <c>devana-web</c>. Development has the documented defaults below; elsewhere the admin
/// password and the client secret must be configured, and must not be the development ones.
/// </summary>
public sealed record BootstrapSettings(
    bool Enabled,
    string Workspace,
    string AdminEmail,
    string AdminPassword,
    string ClientId,
    string ClientSecret,
    IReadOnlyList<string> WebRedirectUris)
{
    public const string Section = "Devana:Bootstrap";
    public const string DefaultWorkspace = "default";
    public const string DefaultAdminEmail = "admin@devana.local";
    public const string DevelopmentAdminPassword = "Devana-dev-password-1";
    public const string DefaultClientId = "devana-dev";
    public const string DevelopmentClientSecret = "devana-dev-secret";
    public const string DefaultWebRedirectUri = "http://localhost:5173/callback";
    public const int MinClientSecretLength = 16;

    /// <summary>Reads the section; <paramref name="errors"/> collects what would make start-up unsafe.</summary>
    public static BootstrapSettings FromConfiguration(IConfiguration configuration, bool isDevelopment, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        var section = configuration.GetSection(Section);
        var settings = new BootstrapSettings(
            section.GetValue("Enabled", defaultValue: true),
            Value(section, "Workspace") ?? DefaultWorkspace,
            Value(section, "AdminEmail") ?? DefaultAdminEmail,
            Value(section, "AdminPassword") ?? (isDevelopment ? DevelopmentAdminPassword : string.Empty),
            Value(section, "ClientId") ?? DefaultClientId,
            Value(section, "ClientSecret") ?? (isDevelopment ? DevelopmentClientSecret : string.Empty),
            List(section.GetSection("WebRedirectUris")) is { Count: > 0 } uris ? uris : [DefaultWebRedirectUri]);

        if (!settings.Enabled)
        {
            return settings;
        }

        if (new WorkspaceNameMustBeASlugRule(settings.Workspace).IsBroken())
        {
            errors.Add($"'{Section}:Workspace' ('{settings.Workspace}') is not a workspace name: use a-z, 0-9, '.', '_' or '-'.");
        }

        if (!isDevelopment && (string.IsNullOrEmpty(settings.AdminPassword) || settings.AdminPassword == DevelopmentAdminPassword))
        {
            errors.Add($"'{Section}:AdminPassword' must be set outside Development, to something other than the development default.");
        }
        else if (!PasswordPolicy.IsAcceptable(settings.AdminPassword))
        {
            errors.Add($"'{Section}:AdminPassword' is not acceptable: {PasswordPolicy.Requirement}");
        }

        if (!isDevelopment && (string.IsNullOrEmpty(settings.ClientSecret) || settings.ClientSecret == DevelopmentClientSecret))
        {
            errors.Add($"'{Section}:ClientSecret' must be set outside Development, to something other than the development default.");
        }
        else if (!isDevelopment && settings.ClientSecret.Length < MinClientSecretLength)
        {
            errors.Add($"'{Section}:ClientSecret' must be at least {MinClientSecretLength} characters.");
        }

        if (string.Equals(settings.ClientId, DevanaAuthentication.WebClientId, StringComparison.Ordinal))
        {
            errors.Add($"'{Section}:ClientId' cannot be '{DevanaAuthentication.WebClientId}', the first-party web client's id.");
        }

        return settings;
    }

    private static string? Value(IConfigurationSection section, string key) =>
        section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>An array (<c>WebRedirectUris:0</c>, …) or one value with several URIs separated by spaces or commas (handy in environment variables).</summary>
    private static List<string> List(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(child => child.Value).ToList();
        if (section.Value is { } single)
        {
            items.Add(single);
        }

        return items
            .Where(item => !string.IsNullOrWhiteSpace(item))
            .SelectMany(item => item!.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
