using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Pipeline;

public sealed class StartupConfigurationTests
{
    private sealed class UnknownProviderFactory : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings["Devana:Database:Provider"] = "Oracle";
            return settings;
        }
    }

    [Fact]
    public void Startup_WhenProviderIsUnknown_FailsNamingTheKeyAndAllowedValues()
    {
        using var factory = new UnknownProviderFactory();

        var start = () => factory.Server;

        start.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Devana:Database:Provider").And.Contain("Sqlite").And.Contain("SqlServer").And.Contain("Oracle");
    }
}
