namespace Devana.Api.Agents;

/// <summary>The body of <c>POST /v1/agents/{id}/files</c>.</summary>
public sealed record AttachAgentFilesRequest(IReadOnlyList<string>? FileIds);
