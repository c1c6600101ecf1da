using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Quotas;

public sealed class QuotaDefaultsConfigurationTests
{
    private sealed class BadDefaultFactory(string value) : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings["Devana:Quotas:Default:TokensPerDay"] = value;
            return settings;
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("lots")]
    public void Startup_WhenADefaultLimitIsNotAWholeNumber_FailsNamingTheKey(string value)
    {
        using var factory = new BadDefaultFactory(value);

        var start = () => factory.Server;

        start.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Devana:Quotas:Default:TokensPerDay").And.Contain(value);
    }
}
