using Azure.Core;
using Devana.Application.Llm.Common;
using Devana.Infrastructure.IntegrationTests.Llm.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Llm.Clients.AzureOpenAI;

/// <summary>The Azure OpenAI provider, through Azure.AI.OpenAI, against <see cref="AzureOpenAIWire"/>.</summary>
public sealed class AzureOpenAIChatClientTests : UpstreamChatClientTestsBase
{
    private const string Deployment = "gpt4o-prod";
    private const string EntraToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token";

    protected override LlmProviderType ProviderType => LlmProviderType.AzureOpenAI;

    protected override string UpstreamModel => Deployment;

    protected override string BaseUrl(Uri root) => root.ToString();

    protected override UpstreamWire CreateWire(string apiKey) => new AzureOpenAIWire(apiKey, Deployment, ["2024-06-01", "2024-10-21"], EntraToken);

    [Fact]
    public async Task GetResponseAsync_WithAKey_SendsItInApiKeyToTheDeploymentWithTheDefaultApiVersion()
    {
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        await Client().GetResponseAsync(Conversation(), SamplingOptions());

        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Refusal.Should().BeNull();
        request.Path.Should().Be($"/openai/deployments/{Deployment}/chat/completions");
        request.Query.Should().Be("?api-version=2024-10-21");
        request.Header("api-key").Should().Be(ApiKey);
        request.Header("Authorization").Should().BeNull();
        var body = request.Json;
        body.GetProperty("temperature").GetDouble().Should().BeApproximately(0.3, 1e-6);
        body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()).Should().Equal("END", "STOP");
    }

    [Fact]
    public async Task GetResponseAsync_WithApiVersion_SendsIt()
    {
        var services = BuildServices(BaseUrl(Fake.Root), ApiKey, new Dictionary<string, string?> { ["ApiVersion"] = "2024-06-01" });
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        (await Client(services).GetResponseAsync(Conversation())).Text.Should().Be("Hello there");

        Fake.Requests.Should().ContainSingle().Which.Query.Should().Be("?api-version=2024-06-01");
    }

    [Fact]
    public async Task GetResponseAsync_WithoutAKey_SendsAnEntraIdTokenForTheCognitiveServicesScope()
    {
        var credential = new RecordingCredential(EntraToken);
        var services = BuildServices(BaseUrl(Fake.Root), apiKey: null, configure: s => s.AddSingleton<TokenCredential>(credential));
        Fake.Respond(context => WriteAnswerAsync(context, "Hello there", "stop", 12, 3));

        var response = await Client(services).GetResponseAsync(Conversation());

        response.Text.Should().Be("Hello there");
        var request = Fake.Requests.Should().ContainSingle().Subject;
        request.Refusal.Should().BeNull();
        request.Header("Authorization").Should().Be($"Bearer {EntraToken}");
        request.Header("api-key").Should().BeNull();
        credential.Scopes.Should().Contain(AzureOpenAIWire.EntraScope);
    }

    [Fact]
    public async Task GetResponseAsync_WithAnEntraIdTokenTheResourceRefuses_ThrowsUpstreamErrorWithThe401()
    {
        var services = BuildServices(BaseUrl(Fake.Root), apiKey: null, configure: s => s.AddSingleton<TokenCredential>(new RecordingCredential("another-token")));

        var act = () => Client(services).GetResponseAsync(Conversation());

        (await act.Should().ThrowAsync<Devana.Application.Common.Exceptions.UpstreamException>()).Which.Message
            .Should().Contain("401").And.Contain("Access denied").And.NotContain("another-token");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Always_AsksForAStreamWithUsage()
    {
        Fake.Respond(context => WriteStreamAsync(context, ["Hi"], "stop", 1, 1));

        await CollectAsync(Client().GetStreamingResponseAsync(Conversation()));

        var body = Fake.Requests.Should().ContainSingle().Subject.Json;
        body.GetProperty("stream").GetBoolean().Should().BeTrue();
        body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
    }

    protected override void AssertAskedForJson(ReceivedRequest request) =>
        request.Json.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_object");

    /// <summary>Stands in for Microsoft Entra ID: hands out a fixed token and records the scopes asked for.</summary>
    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
