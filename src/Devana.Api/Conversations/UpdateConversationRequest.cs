namespace Devana.Api.Conversations;

/// <summary>The body of <c>PATCH /v1/conversations/{id}</c>.</summary>
public sealed record UpdateConversationRequest(string? Title, Dictionary<string, string>? Metadata);
