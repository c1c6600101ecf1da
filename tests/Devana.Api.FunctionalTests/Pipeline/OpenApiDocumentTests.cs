using System.Net;
using System.Text.Json;
using Devana.Api.FunctionalTests.Agents;
using Devana.Api.FunctionalTests.Infrastructure;

namespace Devana.Api.FunctionalTests.Pipeline;

/// <summary>
/// The OpenAPI document (and so <c>/docs</c>) carries what docs/api.md says: the OAuth 2.0 security scheme
/// against this host's endpoints, each operation's scope, and every error response typed as the envelope.
/// </summary>
public sealed class OpenApiDocumentTests(DevanaApiFactory factory) : IClassFixture<DevanaApiFactory>
{
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "patch"];
    private static readonly string[] s_apiScopes = ["completions", "agents", "files", "admin"];

    [Fact]
    public async Task Document_DeclaresTheOAuthSchemeWithBothFlowsOnThisHost()
    {
        var document = await DocumentAsync(factory.CreateClient());

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2");
        scheme.GetProperty("type").GetString().Should().Be("oauth2");
        var flows = scheme.GetProperty("flows");
        var credentials = flows.GetProperty("clientCredentials");
        credentials.GetProperty("tokenUrl").GetString().Should().Be("http://localhost/connect/token");
        Names(credentials.GetProperty("scopes")).Should().BeEquivalentTo(s_apiScopes);
        var code = flows.GetProperty("authorizationCode");
        code.GetProperty("authorizationUrl").GetString().Should().Be("http://localhost/connect/authorize");
        code.GetProperty("tokenUrl").GetString().Should().Be("http://localhost/connect/token");
        code.GetProperty("x-usePkce").GetString().Should().Be("SHA-256", "Devana requires an S256 code challenge from every client");
        Names(code.GetProperty("scopes")).Should().Contain([.. s_apiScopes, "openid", "offline_access"]);
    }

    [Fact]
    public async Task InteractiveDocs_OpenWithTheOAuthSchemeChosen()
    {
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/docs");

        page.Should().Contain("preferredSecurityScheme").And.Contain("oauth2", "the Authorize dialog of /docs offers Devana's OAuth flows");
    }

    [Fact]
    public async Task Document_BehindAPublicUrl_PointsTheFlowsAtIt()
    {
        using var proxied = factory.WithWebHostBuilder(builder => builder.UseSetting("Devana:Identity:Issuer", "https://devana.example.com/base/"));

        var document = await DocumentAsync(proxied.CreateClient());

        var flows = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("flows");
        flows.GetProperty("clientCredentials").GetProperty("tokenUrl").GetString().Should().Be("https://devana.example.com/base/connect/token");
        flows.GetProperty("authorizationCode").GetProperty("authorizationUrl").GetString().Should().Be("https://devana.example.com/base/connect/authorize");
    }

    [Fact]
    public async Task EveryOperation_NeedsTheScopeOfItsPolicy()
    {
        var document = await DocumentAsync(factory.CreateClient());

        var operations = Operations(document).ToList();
        operations.Should().HaveCountGreaterThan(30, "the check must see the API's operations");
        foreach (var (name, operation) in operations)
        {
            var scopes = operation.GetProperty("security").EnumerateArray()
                .SelectMany(requirement => requirement.GetProperty("oauth2").EnumerateArray().Select(scope => scope.GetString()!))
                .ToList();
            scopes.Should().NotBeEmpty($"{name} needs a token").And.OnlyContain(scope => s_apiScopes.Contains(scope), name);
        }

        ScopesOf(document, "get", "/v1/models").Should().BeEquivalentTo(["completions", "agents"], "either scope opens the model list");
        ScopesOf(document, "post", "/v1/clients").Should().Equal("admin");
        ScopesOf(document, "get", "/v1/usage").Should().Equal("completions");
        ScopesOf(document, "get", "/v1/usage/report").Should().Equal("admin");
        ScopesOf(document, "post", "/v1/chat/completions").Should().Equal("completions");
        ScopesOf(document, "delete", "/v1/files/{id}").Should().Equal("files");
    }

    [Fact]
    public async Task EveryOperation_DeclaresItsErrorsInTheEnvelope()
    {
        var document = await DocumentAsync(factory.CreateClient());

        var envelope = document.GetProperty("components").GetProperty("schemas").GetProperty("ErrorEnvelope");
        envelope.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("error");
        document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _).Should().BeFalse("no error is ProblemDetails");
        foreach (var (name, operation) in Operations(document))
        {
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400).ToList();
            errors.Select(r => r.Name).Should().Contain(["401", "403", "500"], name);
            foreach (var error in errors)
            {
                error.Value.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace($"{name} {error.Name}");
                var content = error.Value.GetProperty("content");
                Names(content).Should().Equal(["application/json"], $"{name} {error.Name} is JSON");
                content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()
                    .Should().Be("#/components/schemas/ErrorEnvelope", $"{name} {error.Name} is the envelope, not ProblemDetails");
            }
        }

        StatusesOf(document, "post", "/completions").Should().Contain(["400", "403", "404", "413", "502", "504"]);
        StatusesOf(document, "post", "/v1/agents").Should().Contain(["400", "409", "413"]);
        StatusesOf(document, "get", "/v1/agents/{id}").Should().Contain("404");
        StatusesOf(document, "post", "/v1/files").Should().Contain(["400", "413", "415"]);
        StatusesOf(document, "post", "/v1/users").Should().Contain(["400", "409"]);
        StatusesOf(document, "get", "/v1/llms").Should().NotContain(["400", "404"], "a request without input is never malformed or missing");
        StatusesOf(document, "get", "/v1/agents/{id}").Should().NotContain("400", "a path id that matches nothing is a 404");
        Operation(document, "post", "/v1/files").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data")
            .GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("file");
    }

    [Fact]
    public async Task DocumentedErrors_AreWhatTheApiAnswers()
    {
        var document = await DocumentAsync(factory.CreateClient());
        using var client = factory.CreateClient();
        StatusesOf(document, "get", "/v1/agents/{id}").Should().Contain(["401", "404"]);

        var anonymous = await client.GetAsync("/v1/agents/nope");
        await anonymous.ShouldBeErrorAsync(HttpStatusCode.Unauthorized, "authentication_error", "invalid_token");
        Description(document, "get", "/v1/agents/{id}", "401").Should().Contain("invalid_token");

        var caller = await factory.CreateMachineClientAsync(scopes: ["agents"]);
        var missing = await caller.Client.GetAsync("/v1/agents/nope");
        await missing.ShouldBeErrorAsync(HttpStatusCode.NotFound, "not_found_error", "agent_not_found");
        Description(document, "get", "/v1/agents/{id}", "404").Should().Contain("agent_not_found");
    }

    [Fact]
    public async Task CompletionsRequest_DescribesEveryField()
    {
        var document = await DocumentAsync(factory.CreateClient());

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var undescribed = new[] { "ChatCompletionRequest", "ChatMessageRequest" }
            .SelectMany(schema => schemas.GetProperty(schema).GetProperty("properties").EnumerateObject()
                .Where(property => !HasDescription(property.Value))
                .Select(property => $"{schema}.{property.Name}"));

        undescribed.Should().BeEmpty("docs/api.md's field table is in the document too, for /docs and generated clients");
    }

    [Theory]
    [InlineData("/completions")]
    [InlineData("/v1/chat/completions")]
    public async Task CompletionsAction_DeclaresTheUpstreamAndUnavailableErrors(string path)
    {
        var document = await DocumentAsync(factory.CreateClient());

        StatusesOf(document, "post", path).Should().Contain(["502", "503", "504"]);
        Description(document, "post", path, "503").Should().Contain("service_unavailable").And.Contain("shutting down");
    }

    private static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        using (client)
        {
            return await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        }
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/v1", StringComparison.Ordinal) || path.Name.StartsWith("/completions", StringComparison.Ordinal)
        from operation in path.Value.EnumerateObject()
        where s_methods.Contains(operation.Name)
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value);

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static List<string> ScopesOf(JsonElement document, string method, string path) =>
        [.. Operation(document, method, path).GetProperty("security").EnumerateArray()
            .SelectMany(requirement => requirement.GetProperty("oauth2").EnumerateArray().Select(scope => scope.GetString()!))];

    private static List<string> StatusesOf(JsonElement document, string method, string path) =>
        Names(Operation(document, method, path).GetProperty("responses"));

    private static string Description(JsonElement document, string method, string path, string status) =>
        Operation(document, method, path).GetProperty("responses").GetProperty(status).GetProperty("description").GetString()!;

    /// <summary>On the property, or (a nullable object, <c>oneOf: [null, $ref]</c>) on its reference.</summary>
    private static bool HasDescription(JsonElement schema) =>
        (schema.TryGetProperty("description", out var description) && !string.IsNullOrWhiteSpace(description.GetString()))
        || (schema.TryGetProperty("oneOf", out var options) && options.EnumerateArray().Any(HasDescription));

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
