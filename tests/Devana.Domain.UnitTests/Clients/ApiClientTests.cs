using Devana.Domain.Clients;
using Devana.Domain.Clients.Rules;
using Devana.Domain.Common;
using static Devana.Domain.UnitTests.Common.RuleAssertions;

namespace Devana.Domain.UnitTests.Clients;

public sealed class ApiClientTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static ApiClient Machine() => ApiClient.Register("ws_1", "Batch job", ClientType.Confidential, ["files", "agents", "files"], [], s_now);

    [Fact]
    public void Register_WithoutClientId_UsesItsIdAsClientId()
    {
        var client = Machine();

        client.Id.Should().MatchRegex("^cli_[0-9a-z]{24}$");
        client.ClientId.Should().Be(client.Id);
        client.Scopes.Should().Equal("agents", "files");
        client.IsFirstParty.Should().BeFalse();
    }

    [Fact]
    public void Register_WithClientId_KeepsIt()
    {
        var client = ApiClient.Register("ws_1", "Dev", ClientType.Confidential, ["admin"], [], s_now, clientId: "devana-dev");

        client.ClientId.Should().Be("devana-dev");
        client.Id.Should().StartWith("cli_");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Register_WhenNameIsEmpty_BreaksClientNameMustBeValidRule(string name)
    {
        AssertBrokenRule<ClientNameMustBeValidRule>(() => ApiClient.Register("ws_1", name, ClientType.Confidential, [], [], s_now));
    }

    [Fact]
    public void Register_WhenPublicWithoutRedirectUri_BreaksPublicClientsMustHaveARedirectUriRule()
    {
        var rule = AssertBrokenRule<PublicClientsMustHaveARedirectUriRule>(() => ApiClient.Register("ws_1", "SPA", ClientType.Public, ["agents"], [], s_now));

        rule.Param.Should().Be("redirect_uris");
    }

    [Theory]
    [InlineData("/callback")]
    [InlineData("ftp://example.com/cb")]
    [InlineData("https://example.com/cb#fragment")]
    [InlineData("not a uri")]
    public void Register_WhenARedirectUriIsNotAnAbsoluteHttpUri_BreaksRedirectUrisMustBeAbsoluteHttpUrisRule(string uri)
    {
        AssertBrokenRule<RedirectUrisMustBeAbsoluteHttpUrisRule>(() => ApiClient.Register("ws_1", "SPA", ClientType.Public, [], [uri], s_now));
    }

    [Fact]
    public void Register_WhenTypeIsUndefined_BreaksClientTypeMustBeDefinedRule()
    {
        AssertBrokenRule<ClientTypeMustBeDefinedRule>(() => ApiClient.Register("ws_1", "x", (ClientType)9, [], [], s_now));
    }

    [Fact]
    public void EnsureSecretCanBeRotated_WhenPublic_BreaksOnlyConfidentialClientsHaveASecretRule()
    {
        var client = ApiClient.Register("ws_1", "SPA", ClientType.Public, [], ["http://localhost:5173/callback"], s_now);

        AssertBrokenRule<OnlyConfidentialClientsHaveASecretRule>(client.EnsureSecretCanBeRotated);
    }

    [Fact]
    public void EnsureSecretCanBeRotated_WhenConfidential_Passes()
    {
        Machine().Invoking(client => client.EnsureSecretCanBeRotated()).Should().NotThrow();
    }

    [Fact]
    public void EnsureCanBeDeleted_WhenFirstParty_BreaksFirstPartyClientsCannotBeDeletedRuleAsAccessDenied()
    {
        var client = ApiClient.Register("ws_1", "Web", ClientType.Public, [], ["http://localhost:5173/callback"], s_now, "devana-web", isFirstParty: true);

        var rule = AssertBrokenRule<FirstPartyClientsCannotBeDeletedRule>(client.EnsureCanBeDeleted);

        ((IBusinessRule)rule).Kind.Should().Be(RuleViolationKind.AccessDenied);
    }

    [Fact]
    public void AcceptsUsersOf_WorkspaceClientAcceptsOnlyItsOwnWorkspace()
    {
        var client = ApiClient.Register("ws_1", "SPA", ClientType.Public, [], ["https://app.example.com/cb"], s_now);

        client.AcceptsUsersOf("ws_1").Should().BeTrue();
        client.AcceptsUsersOf("ws_2").Should().BeFalse();
    }

    [Fact]
    public void AcceptsUsersOf_FirstPartyClientAcceptsEveryWorkspace()
    {
        var client = ApiClient.Register("ws_1", "Web", ClientType.Public, [], ["http://localhost:5173/callback"], s_now, "devana-web", isFirstParty: true);

        client.AcceptsUsersOf("ws_2").Should().BeTrue();
    }

    [Fact]
    public void ReplaceRedirectUris_ReplacesThemAfterCheckingTheRules()
    {
        var client = ApiClient.Register("ws_1", "SPA", ClientType.Public, [], ["https://a.example.com/cb"], s_now);

        client.ReplaceRedirectUris(["https://b.example.com/cb"]);

        client.RedirectUris.Should().Equal("https://b.example.com/cb");
        AssertBrokenRule<PublicClientsMustHaveARedirectUriRule>(() => client.ReplaceRedirectUris([]));
    }
}
