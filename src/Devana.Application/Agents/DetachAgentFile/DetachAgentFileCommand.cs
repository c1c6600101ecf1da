using MediatR;

namespace Devana.Application.Agents.DetachAgentFile;

/// <summary><c>DELETE /v1/agents/{id}/files/{file_id}</c>: the file stays uploaded; it is no longer the agent's knowledge.</summary>
public sealed record DetachAgentFileCommand(string AgentId, string FileId) : IRequest<Unit>;
