using AutoMapper;
using Devana.Application.Agents.Common;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Agents;
using Devana.Domain.Common;

namespace Devana.Application.UnitTests.Agents;

public sealed class AgentMappingProfileTests
{
    private static readonly MapperConfiguration s_configuration = new(cfg => cfg.AddMaps(typeof(AgentDto).Assembly));
    private readonly IMapper _mapper = s_configuration.CreateMapper();

    [Fact]
    public void Configuration_IsValid() => s_configuration.AssertConfigurationIsValid();

    [Fact]
    public void Map_AgentToDto_CarriesEveryFieldWithWireValues()
    {
        var created = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var agent = Agent.Create("support", new Actor("ws_a", "usr_owner", false), new AgentDefinition("Support")
        {
            Description = "d",
            Instructions = "i",
            Model = "echo",
            AllowedModels = ["echo"],
            FallbackModels = ["fake-large", "echo"],
            Temperature = 0.5,
            TopP = 0.8,
            MaxTokens = 42,
            Lang = LanguageCode.Create("fr"),
            WelcomeMessage = "w",
            Visibility = AgentVisibility.Workspace,
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        }, created);

        var dto = _mapper.Map<AgentDto>(agent);

        dto.Should().BeEquivalentTo(new
        {
            Id = "support",
            Object = "agent",
            Name = "Support",
            Description = "d",
            Instructions = "i",
            Model = "echo",
            AllowedModels = new[] { "echo" },
            FallbackModels = new[] { "fake-large", "echo" },
            Temperature = 0.5,
            TopP = 0.8,
            MaxTokens = 42,
            Lang = "fr",
            WelcomeMessage = "w",
            Visibility = "workspace",
            FileIds = Array.Empty<string>(),
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            OwnerId = "usr_owner",
            CreatedAt = created.ToUnixTimeSeconds(),
            UpdatedAt = created.ToUnixTimeSeconds(),
        });
    }

    [Fact]
    public void Map_AgentToModel_IsOpenAiShaped()
    {
        var created = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var agent = Agent.Create("support", new Actor("ws_a", "usr_owner", false), new AgentDefinition("Support") { Description = "d" }, created);

        var model = _mapper.Map<ModelDto>(agent);

        model.Should().BeEquivalentTo(new { Id = "support", Object = "model", Created = created.ToUnixTimeSeconds(), OwnedBy = "usr_owner", Name = "Support", Description = "d" });
    }

    [Fact]
    public void Settings_ThroughTheDomainAndBack_AreUnchanged()
    {
        var settings = new AgentSettings("Support")
        {
            Description = "d",
            Instructions = "i",
            Model = "echo",
            AllowedModels = ["echo"],
            FallbackModels = ["fake-large"],
            Temperature = 0.5,
            TopP = 0.8,
            MaxTokens = 42,
            Lang = "fr",
            WelcomeMessage = "w",
            Visibility = "workspace",
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            Tools = [],
            McpServers = [],
            MaxToolRounds = 3,
        };

        var agent = Agent.Create(null, new Actor("ws_a", "usr_owner", false), settings.ToDefinition(_mapper, current: null, new PlainSecrets()), DateTimeOffset.UnixEpoch);

        _mapper.Map<AgentSettings>(agent).Should().BeEquivalentTo(settings, "every setting is carried by name, both ways");
    }

    private sealed class PlainSecrets : ISecretProtector
    {
        public string Protect(string secret) => secret;

        public string Unprotect(string protectedSecret) => protectedSecret;
    }
}
