using System.Security.Cryptography.X509Certificates;
using Devana.Domain.Users;
using Microsoft.Extensions.Configuration;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// <c>Devana:DataPath</c> and <c>Devana:Identity</c>, read and checked once at start-up. Every problem
/// found (here and in <see cref="BootstrapSettings"/>) is reported together, naming its keys.
/// </summary>
public sealed record IdentitySettings(
    string DataPath,
    Uri? Issuer,
    bool AllowInsecureHttp,
    CertificateSettings SigningCertificate,
    CertificateSettings EncryptionCertificate,
    LockoutPolicy Lockout,
    BootstrapSettings Bootstrap)
{
    public const string DataPathKey = "Devana:DataPath";
    public const string Section = "Devana:Identity";
    public const string DefaultDataPath = "data";

    /// <summary>The public URL Devana is reached at, e.g. <c>https://devana.example.com/</c>: the issuer of every instance's tokens.</summary>
    public const string IssuerKey = Section + ":Issuer";

    public static IdentitySettings FromConfiguration(IConfiguration configuration, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var section = configuration.GetSection(Section);
        var dataPath = Path.GetFullPath(configuration[DataPathKey] is { Length: > 0 } path ? path : DefaultDataPath);
        var signing = CertificateSettings.FromConfiguration(section.GetSection("SigningCertificate"), $"{Section}:SigningCertificate");
        var encryption = CertificateSettings.FromConfiguration(section.GetSection("EncryptionCertificate"), $"{Section}:EncryptionCertificate");
        if (!isDevelopment)
        {
            foreach (var certificate in new[] { signing, encryption }.Where(certificate => !certificate.IsConfigured))
            {
                errors.Add($"No {certificate.Key} is configured. Outside Development set '{certificate.Key}:Path' (a PFX file) with '{certificate.Key}:Password', or '{certificate.Key}:Thumbprint' (a certificate in the store named by '{certificate.Key}:StoreLocation', CurrentUser by default).");
            }
        }

        var lockoutSection = section.GetSection("Lockout");
        var lockout = new LockoutPolicy(
            lockoutSection.GetValue("MaxFailedAttempts", LockoutPolicy.Default.MaxFailedAttempts),
            TimeSpan.FromMinutes(lockoutSection.GetValue("Minutes", LockoutPolicy.Default.Duration.TotalMinutes)));
        if (lockout.MaxFailedAttempts < 1 || lockout.Duration <= TimeSpan.Zero)
        {
            errors.Add($"'{Section}:Lockout:MaxFailedAttempts' and '{Section}:Lockout:Minutes' must be positive.");
        }

        var allowHttp = section.GetValue("AllowInsecureHttp", defaultValue: isDevelopment);
        var issuer = IssuerFrom(configuration[IssuerKey], allowHttp, errors);
        var bootstrap = BootstrapSettings.FromConfiguration(configuration, isDevelopment, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Devana cannot start with this identity configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(error => "- " + error)));
        }

        return new IdentitySettings(dataPath, issuer, allowHttp, signing, encryption, lockout, bootstrap);
    }

    /// <summary>
    /// An absolute http(s) URL without query or fragment, with a trailing slash (OpenIddict compares issuers
    /// as written); http only where <c>AllowInsecureHttp</c> is on. Unset: each request's own scheme and host.
    /// </summary>
    private static Uri? IssuerFrom(string? value, bool allowHttp, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var issuer) || issuer.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment) || !string.IsNullOrEmpty(issuer.UserInfo))
        {
            errors.Add($"'{IssuerKey}' must be the absolute http(s) URL Devana is reached at, e.g. https://devana.example.com/ (it is '{value}').");
            return null;
        }

        if (issuer.Scheme == "http" && !allowHttp)
        {
            errors.Add($"'{IssuerKey}' is an http URL; outside Development it must be https (or set '{Section}:AllowInsecureHttp' to true).");
            return null;
        }

        return issuer.AbsolutePath.EndsWith('/') ? issuer : new Uri(issuer.GetLeftPart(UriPartial.Path) + "/");
    }
}

/// <summary>Where a certificate comes from: a PFX file (<c>Path</c>, <c>Password</c>) or the store (<c>Thumbprint</c>).</summary>
public sealed record CertificateSettings(string Key, string? Path, string? Password, string? Thumbprint, StoreLocation StoreLocation)
{
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Path) || !string.IsNullOrWhiteSpace(Thumbprint);

    public static CertificateSettings FromConfiguration(IConfigurationSection section, string key)
    {
        ArgumentNullException.ThrowIfNull(section);
        var location = section.GetValue("StoreLocation", StoreLocation.CurrentUser);
        return new CertificateSettings(key, section["Path"], section["Password"], section["Thumbprint"], location);
    }

    public override string ToString() => Key;
}
