using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Devana.Infrastructure.Identity;

/// <summary>
/// The authorization server's signing and encryption certificates. Configured ones (a PFX file or the
/// certificate store) win everywhere; in Development, when none is configured, a self-signed pair is
/// generated once under <c>{DataPath}/keys</c> and loaded on every later start, so tokens survive a
/// restart and every local instance sharing the data directory signs alike.
/// </summary>
public static class IdentityCertificates
{
    private static readonly TimeSpan s_developmentValidity = TimeSpan.FromDays(2 * 365);

    public static (X509Certificate2 Signing, X509Certificate2 Encryption) Load(IdentitySettings settings, bool isDevelopment, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (
            Load(settings.SigningCertificate, X509KeyUsageFlags.DigitalSignature, "signing", settings.DataPath, isDevelopment, logger),
            Load(settings.EncryptionCertificate, X509KeyUsageFlags.KeyEncipherment, "encryption", settings.DataPath, isDevelopment, logger));
    }

    private static X509Certificate2 Load(CertificateSettings certificate, X509KeyUsageFlags usage, string purpose, string dataPath, bool isDevelopment, ILogger? logger)
    {
        if (!string.IsNullOrWhiteSpace(certificate.Path))
        {
            return FromFile(certificate);
        }

        if (!string.IsNullOrWhiteSpace(certificate.Thumbprint))
        {
            return FromStore(certificate);
        }

        if (!isDevelopment)
        {
            throw new InvalidOperationException($"No {certificate.Key} is configured (set '{certificate.Key}:Path' or '{certificate.Key}:Thumbprint').");
        }

        return DevelopmentCertificate(Path.Combine(dataPath, "keys", $"{purpose}.pfx"), usage, purpose, logger);
    }

    private static X509Certificate2 FromFile(CertificateSettings certificate)
    {
        var path = Path.GetFullPath(certificate.Path!);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"'{certificate.Key}:Path' names '{path}', which does not exist.");
        }

        try
        {
            return RequirePrivateKey(X509CertificateLoader.LoadPkcs12FromFile(path, certificate.Password, KeyStorageFlags), certificate.Key);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"'{certificate.Key}:Path' ('{path}') could not be opened with '{certificate.Key}:Password': {exception.Message}", exception);
        }
    }

    private static X509Certificate2 FromStore(CertificateSettings certificate)
    {
        using var store = new X509Store(StoreName.My, certificate.StoreLocation);
        store.Open(OpenFlags.ReadOnly);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, certificate.Thumbprint!.Replace(" ", string.Empty, StringComparison.Ordinal), validOnly: false);
        if (found.Count == 0)
        {
            throw new InvalidOperationException($"'{certificate.Key}:Thumbprint' names no certificate in the {certificate.StoreLocation}/My store.");
        }

        return RequirePrivateKey(found[0], certificate.Key);
    }

    private static X509Certificate2 RequirePrivateKey(X509Certificate2 certificate, string key) =>
        certificate.HasPrivateKey ? certificate : throw new InvalidOperationException($"The certificate of '{key}' has no private key.");

    private static X509Certificate2 DevelopmentCertificate(string path, X509KeyUsageFlags usage, string purpose, ILogger? logger)
    {
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null, KeyStorageFlags);
            if (existing.NotAfter > DateTime.Now.AddDays(1))
            {
                return existing;
            }

            existing.Dispose();
            logger?.LogWarning("The development {Purpose} certificate at {Path} has expired; generating a new one", purpose, path);
            File.Delete(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = CreateSelfSigned(usage, purpose);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            // Another instance starting on the same data directory may have won the race: keep its file.
            File.Move(temporary, path, overwrite: false);
            logger?.LogInformation("Generated the development {Purpose} certificate at {Path}", purpose, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, KeyStorageFlags);
    }

    private static byte[] CreateSelfSigned(X509KeyUsageFlags usage, string purpose)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Devana {purpose} (development)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.Add(s_developmentValidity));
        return certificate.Export(X509ContentType.Pfx);
    }

    // Ephemeral key sets keep private keys off the disk's key store on Linux and macOS; Windows needs a
    // persisted user key set for CNG signing.
    private static X509KeyStorageFlags KeyStorageFlags =>
        OperatingSystem.IsWindows() ? X509KeyStorageFlags.UserKeySet : X509KeyStorageFlags.EphemeralKeySet;
}
