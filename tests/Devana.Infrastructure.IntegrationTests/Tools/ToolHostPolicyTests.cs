using System.Net;
using Devana.Infrastructure.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Devana.Infrastructure.IntegrationTests.Tools;

public sealed class ToolHostPolicyTests
{
    private static ToolHostPolicy Policy(params string[] hosts) =>
        new(Settings(hosts.Select((h, i) => new KeyValuePair<string, string?>($"Devana:Tools:AllowedHosts:{i}", h))));

    /// <summary>The settings as the host reads them: bound, checked by <see cref="ToolsOptionsValidator"/>, comma form included.</summary>
    private static ToolsSettings Settings(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAgentTools().BuildServiceProvider();
        return services.GetRequiredService<ToolsSettings>();
    }

    [Fact]
    public void RefusalFor_WithNothingListed_RefusesEveryHost()
    {
        var policy = Policy();

        policy.RefusalFor(new Uri("https://api.example.com/x")).Should().Contain("api.example.com").And.Contain("Devana:Tools:AllowedHosts");
    }

    [Theory]
    [InlineData("https://api.example.com/x", true)]
    [InlineData("https://API.example.com/x", true)]
    [InlineData("https://a.b.example.org/x", true)]
    [InlineData("https://example.org/x", false)]
    [InlineData("https://evil.com/x", false)]
    [InlineData("http://10.1.2.3/x", true)]
    [InlineData("http://10.2.0.1/x", false)]
    [InlineData("http://127.0.0.1/x", false)]
    [InlineData("http://localhost/x", false)]
    public void RefusalFor_AllowsOnlyListedNamesWildcardsAndRanges(string url, bool allowed)
    {
        var policy = Policy("api.example.com", "*.example.org", "10.1.0.0/16");

        (policy.RefusalFor(new Uri(url)) is null).Should().Be(allowed);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void IsAddressAllowed_UnderAStarOrWildcard_RefusesNonPublicAddresses(string address)
    {
        var policy = Policy("*", "*.example.org");

        policy.IsAddressAllowed("rebound.example.org", IPAddress.Parse(address)).Should().BeFalse();
        policy.IsAddressAllowed("anything.test", IPAddress.Parse(address)).Should().BeFalse();
        policy.IsAddressAllowed("anything.test", IPAddress.Parse("93.184.216.34")).Should().BeTrue("a public address under *");
    }

    [Fact]
    public void IsAddressAllowed_ForAHostListedByName_AllowsItsPrivateAddress()
    {
        var policy = Policy("tools.internal", "127.0.0.1");

        policy.IsAddressAllowed("tools.internal", IPAddress.Parse("10.9.8.7")).Should().BeTrue();
        policy.IsAddressAllowed("other.internal", IPAddress.Parse("10.9.8.7")).Should().BeFalse();
        policy.IsAddressAllowed("anything", IPAddress.Loopback).Should().BeTrue("127.0.0.1 is listed itself");
    }

    [Fact]
    public void Settings_WithACommaSeparatedListAndBadLimit_ReadsTheListAndNamesTheBadKey()
    {
        var settings = Settings(new Dictionary<string, string?>
        {
            ["Devana:Tools:AllowedHosts"] = "a.example.com, *.b.example.com",
        });
        var bad = () => Settings(new Dictionary<string, string?>
        {
            ["Devana:Tools:MaxOutputTokens"] = "0",
        });

        settings.AllowedHosts.Should().Equal("a.example.com", "*.b.example.com");
        settings.MaxOutputTokens.Should().Be(ToolsSettings.DefaultMaxOutputTokens);
        bad.Should().Throw<OptionsValidationException>().WithMessage("*Devana:Tools:MaxOutputTokens*");
    }
}
