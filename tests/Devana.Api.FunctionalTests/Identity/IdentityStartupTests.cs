using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Devana.Api.FunctionalTests.Identity;

/// <summary>Outside Development: keys come from configuration, and the development secrets are refused.</summary>
public sealed class IdentityStartupTests
{
    private class ProductionFactory(IReadOnlyDictionary<string, string?> settings) : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var all = base.ConfigureSettings();
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }

            return all;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public void Startup_InProductionWithNothingConfigured_FailsNamingEveryMissingKey()
    {
        using var factory = new ProductionFactory(new Dictionary<string, string?>());

        var start = () => factory.Server;

        start.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("Devana:Identity:SigningCertificate")
            .And.Contain("Devana:Identity:EncryptionCertificate")
            .And.Contain("Devana:Bootstrap:AdminPassword")
            .And.Contain("Devana:Bootstrap:ClientSecret");
    }

    [Fact]
    public void Startup_InProductionWithTheDevelopmentDefaults_FailsNamingThem()
    {
        using var factory = new ProductionFactory(new Dictionary<string, string?>
        {
            ["Devana:Bootstrap:AdminPassword"] = "Devana-dev-password-1",
            ["Devana:Bootstrap:ClientSecret"] = "devana-dev-secret",
        });

        var start = () => factory.Server;

        start.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("Devana:Bootstrap:AdminPassword").And.Contain("Devana:Bootstrap:ClientSecret");
    }

    [Fact]
    public async Task Startup_InProductionWithCertificateFilesAndRealSecrets_IssuesTokensOverHttps()
    {
        var keys = Path.Combine(Path.GetTempPath(), "devana-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(keys);
        try
        {
            var signing = WritePfx(Path.Combine(keys, "signing.pfx"), X509KeyUsageFlags.DigitalSignature, "pfx-password");
            var encryption = WritePfx(Path.Combine(keys, "encryption.pfx"), X509KeyUsageFlags.KeyEncipherment, "pfx-password");
            await using var factory = new ProductionFactory(new Dictionary<string, string?>
            {
                ["Devana:Identity:SigningCertificate:Path"] = signing,
                ["Devana:Identity:SigningCertificate:Password"] = "pfx-password",
                ["Devana:Identity:EncryptionCertificate:Path"] = encryption,
                ["Devana:Identity:EncryptionCertificate:Password"] = "pfx-password",
                ["Devana:Bootstrap:AdminPassword"] = "A-production-admin-password",
                ["Devana:Bootstrap:ClientId"] = "ops",
                ["Devana:Bootstrap:ClientSecret"] = "a-production-client-secret-0123456789",
            });
            using var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
            using var http = factory.CreateClient();

            var token = await OAuth.ClientCredentialsAsync(https, "ops", "a-production-client-secret-0123456789");
            var overHttp = await OAuth.ClientCredentialsAsync(http, "ops", "a-production-client-secret-0123456789");

            token.RequireAccessToken();
            overHttp.Error.Should().Be("invalid_request", "outside Development the server requires HTTPS");
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public void Startup_WithACertificatePathThatDoesNotExist_FailsNamingTheKey()
    {
        using var factory = new ProductionFactory(new Dictionary<string, string?>
        {
            ["Devana:Identity:SigningCertificate:Path"] = "/nowhere/signing.pfx",
            ["Devana:Identity:EncryptionCertificate:Path"] = "/nowhere/encryption.pfx",
            ["Devana:Bootstrap:AdminPassword"] = "A-production-admin-password",
            ["Devana:Bootstrap:ClientSecret"] = "a-production-client-secret-0123456789",
        });

        var start = () => factory.Server;

        start.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Devana:Identity:SigningCertificate:Path");
    }

    private static string WritePfx(string path, X509KeyUsageFlags usage, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Devana test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
