using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// Azure OpenAI's data-plane inference API as its REST reference documents it (Azure OpenAI "REST API reference",
/// "Chat completions - Create", api-version 2024-10-21):
/// <list type="bullet">
/// <item><c>POST {endpoint}/openai/deployments/{deployment-id}/chat/completions?api-version={api-version}</c>; a missing
/// <c>api-version</c> is a 404 "Resource not found", an unknown one a 400;</item>
/// <item>"Authentication": the key in the <c>api-key</c> header, or a Microsoft Entra ID token as
/// <c>Authorization: Bearer</c> (scope <c>https://cognitiveservices.azure.com/.default</c>); 401 otherwise;</item>
/// <item>the request body and answers of OpenAI's chat completions (<see cref="OpenAIWire"/>), plus
/// <c>prompt_filter_results</c> / <c>content_filter_results</c>;</item>
/// <item>errors <c>{"error": {"code", "message"}}</c> (401 <c>401</c>, 404 <c>DeploymentNotFound</c>, 429 <c>429</c> with
/// <c>retry-after</c>, 400 <c>content_filter</c>), and <c>x-ratelimit-remaining-*</c> headers.</item>
/// </list>
/// </summary>
public sealed class AzureOpenAIWire(string? apiKey, string deployment, IReadOnlyList<string> apiVersions, string? entraToken = null)
    : OpenAIWire(apiKey, $"/openai/deployments/{deployment}/chat/completions")
{
    public const string EntraScope = "https://cognitiveservices.azure.com/.default";

    public override IReadOnlyList<DocumentedError> Errors { get; } =
    [
        new(400, "content_filter", Retried: false),
        new(401, "401", Retried: false),
        new(404, "DeploymentNotFound", Retried: false),
        new(429, "429", Retried: true),
        new(500, "InternalServerError", Retried: true),
        new(503, "ServiceUnavailable", Retried: true),
    ];

    public override WireRefusal? Check(ReceivedRequest request)
    {
        if (request.Method != "POST" || !request.Path.StartsWith("/openai/deployments/", StringComparison.Ordinal))
        {
            return new(404, "404", "Resource not found");
        }

        if (request.Path != ChatPath)
        {
            return new(404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.");
        }

        var version = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Query).TryGetValue("api-version", out var values) ? values.ToString() : null;
        if (string.IsNullOrEmpty(version))
        {
            return new(404, "404", "Resource not found");
        }

        if (!apiVersions.Contains(version))
        {
            return new(400, "BadRequest", "API version not supported");
        }

        if (CheckAuthentication(request) is { } refused)
        {
            return refused;
        }

        if (!IsJsonContent(request) || ParseObject(request.Body) is not { } body)
        {
            return new(400, "BadRequest", "The request body is not valid JSON.");
        }

        return CheckBody(body);
    }

    protected override WireRefusal? CheckAuthentication(ReceivedRequest request)
    {
        var key = request.Header("api-key");
        var authorization = request.Header("Authorization");
        var accepted = (ApiKey is not null && key == ApiKey) || (entraToken is not null && authorization == $"Bearer {entraToken}");
        return accepted
            ? null
            : new(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
    }

    public override Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens) =>
        FakeUpstream.WriteJsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-azure-1",
            @object = "chat.completion",
            created = 1_764_000_000,
            model = "gpt-4o-2024-08-06",
            prompt_filter_results = new[] { new { prompt_index = 0, content_filter_results = Filtered() } },
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = text, refusal = (string?)null },
                    logprobs = (object?)null,
                    finish_reason = finishReason,
                    content_filter_results = Filtered(),
                },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        }), new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "99", ["x-ratelimit-remaining-tokens"] = "99000", ["apim-request-id"] = "0b0f-azure" });

    public override Task WriteErrorAsync(HttpContext context, int status, string message, string? kind = null, TimeSpan? retryAfter = null)
    {
        var headers = RetryAfterHeader(retryAfter);
        if (retryAfter is { } delay)
        {
            headers["retry-after-ms"] = ((int)delay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return FakeUpstream.WriteJsonAsync(context, status, JsonSerializer.Serialize(new
        {
            error = new { code = kind ?? KindOf(status), message, param = (string?)null, type = (string?)null },
        }), headers);
    }

    private static object Filtered() => new
    {
        hate = new { filtered = false, severity = "safe" },
        self_harm = new { filtered = false, severity = "safe" },
        sexual = new { filtered = false, severity = "safe" },
        violence = new { filtered = false, severity = "safe" },
    };
}
