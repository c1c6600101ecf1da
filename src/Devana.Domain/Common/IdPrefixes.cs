namespace Devana.Domain.Common;

/// <summary>The id type prefixes of docs/api.md#conventions.</summary>
public static class IdPrefixes
{
    public const string Agent = "agt";
    public const string Conversation = "conv";
    public const string Message = "msg";
    public const string File = "file";
    public const string Client = "cli";
    public const string User = "usr";
    public const string Workspace = "ws";
}
