using MediatR;
using Devana.Application.Agents.Common;

namespace Devana.Application.Agents.AttachAgentFiles;

/// <summary><c>POST /v1/agents/{id}/files</c> <c>{"file_ids": [...]}</c>: makes the caller's processed files knowledge of the agent.</summary>
public sealed record AttachAgentFilesCommand(string AgentId, IReadOnlyList<string>? FileIds) : IRequest<AgentDto>;
