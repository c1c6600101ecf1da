namespace Devana.Application.Agents.Common;

/// <summary>An agent as OpenAI's model object (<c>GET /v1/models</c>), plus its name and description.</summary>
public sealed record ModelDto
{
    /// <summary>The agent id: what completions take as <c>model</c>.</summary>
    public required string Id { get; init; }

    public string Object => "model";

    /// <summary>The agent's creation time, in Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary>The agent's owner (<c>usr_…</c> or <c>cli_…</c>).</summary>
    public required string OwnedBy { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }
}
