using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Devana.Infrastructure.IntegrationTests.Llm.Fakes;

/// <summary>
/// One provider's wire as its documentation describes it: what a request must carry (checked by
/// <see cref="Check"/>, refused with the documented error otherwise) and how answers, streams, usage,
/// errors and rate-limit headers look. Written from the documentation, not from what Devana's client sends,
/// so that a wrong header or field fails a test.
/// </summary>
public abstract class UpstreamWire(string? apiKey)
{
    /// <summary>The key the fake accepts; null when the upstream checks none.</summary>
    public string? ApiKey { get; } = apiKey;

    /// <summary>The provider's word for "stopped at the output limit".</summary>
    public abstract string LengthFinishReason { get; }

    /// <summary>The error statuses the provider documents, with its name for each and whether Devana retries it.</summary>
    public abstract IReadOnlyList<DocumentedError> Errors { get; }

    /// <summary>Null if the request follows the documented wire; otherwise the documented refusal.</summary>
    public abstract WireRefusal? Check(ReceivedRequest request);

    public abstract Task WriteAnswerAsync(HttpContext context, string text, string finishReason, int promptTokens, int completionTokens);

    /// <summary>Streams the pieces, then ends the stream as <paramref name="ending"/> says.</summary>
    public abstract Task WriteStreamAsync(
        FakeUpstream fake, HttpContext context, IReadOnlyList<string> pieces, string finishReason, int promptTokens, int completionTokens, StreamEnding ending = StreamEnding.Complete);

    /// <summary>An error answer in the documented shape; <paramref name="kind"/> defaults to the status's documented kind.</summary>
    public abstract Task WriteErrorAsync(HttpContext context, int status, string message, string? kind = null, TimeSpan? retryAfter = null);

    /// <summary>The documented kind of an error status.</summary>
    public string KindOf(int status) => Errors.FirstOrDefault(e => e.Status == status)?.Kind ?? Errors[0].Kind;

    protected static Dictionary<string, string> RetryAfterHeader(TimeSpan? retryAfter) => retryAfter is { } delay
        ? new Dictionary<string, string> { ["retry-after"] = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture) }
        : [];

    protected static JsonElement? ParseObject(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected static bool IsJsonContent(ReceivedRequest request) =>
        request.Header("Content-Type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    protected static bool Has(JsonElement body, string name, JsonValueKind kind) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == kind;

    protected static bool IsNumberIn(JsonElement body, string name, double min, double max) =>
        !body.TryGetProperty(name, out var value) || (value.ValueKind == JsonValueKind.Number && value.GetDouble() >= min && value.GetDouble() <= max);

    protected static bool IsPositiveInteger(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 1;
}

/// <summary>An error status a provider documents: its kind (error type or code) and whether Devana retries it.</summary>
public sealed record DocumentedError(int Status, string Kind, bool Retried);
