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

    private sealed class SettingFactory(string key, string value) : DevanaApiFactory
    {
        protected override IDictionary<string, string?> ConfigureSettings()
        {
            var settings = base.ConfigureSettings();
            settings[key] = value;
            return settings;
        }
    }

    [Theory]
    [InlineData("Devana:Files:MaxBytes", "0")]
    [InlineData("Devana:Files:ChunkTokens", "4")]
    [InlineData("Devana:Files:ChunkOverlapTokens", "9999")]
    [InlineData("Devana:Files:StoragePath", " ")]
    [InlineData("Devana:Completions:KeepAliveSeconds", "0")]
    [InlineData("Devana:Completions:KeepAliveSeconds", "-5")]
    [InlineData("Devana:Cache:SettingsSeconds", "61")]
    [InlineData("Devana:Identity:TokenEntryCacheSeconds", "-1")]
    [InlineData("Devana:Identity:Pruning:IntervalMinutes", "0")]
    public void Startup_WhenAValidatedOptionIsOutOfRange_FailsNamingTheKey(string key, string value)
    {
        using var factory = new SettingFactory(key, value);

        var start = () => factory.Server;

        start.Should().Throw<Exception>().Which.Message.Should().Contain(key);
    }

    [Theory]
    [InlineData("Devana:Files:MaxBytes", "lots")]
    [InlineData("Devana:Completions:KeepAliveSeconds", "often")]
    public void Startup_WhenAValidatedOptionIsNotANumber_FailsNamingTheKey(string key, string value)
    {
        using var factory = new SettingFactory(key, value);

        var start = () => factory.Server;

        start.Should().Throw<Exception>().Which.Message.Should().Contain(key, "the configuration binder names the key it could not convert");
    }
}
