using Devana.Domain.Common;

namespace Devana.Domain.Conversations.Rules;

public sealed class MetadataMustBeSmallRule(IReadOnlyDictionary<string, string> metadata) : IBusinessRule
{
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 512;

    public bool IsBroken() =>
        metadata.Count > Conversation.MaxMetadataKeys
        || metadata.Any(pair => string.IsNullOrEmpty(pair.Key) || pair.Key.Length > MaxKeyLength || pair.Value is null || pair.Value.Length > MaxValueLength);

    public string Message => $"metadata may hold up to {Conversation.MaxMetadataKeys} keys of at most {MaxKeyLength} characters, each with a string value of at most {MaxValueLength} characters.";

    public string? Param => "metadata";
}
