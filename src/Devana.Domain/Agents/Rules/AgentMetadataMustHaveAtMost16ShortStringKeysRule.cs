using Devana.Domain.Common;

namespace Devana.Domain.Agents.Rules;

/// <summary>As OpenAI's metadata: up to 16 keys of 1 to 64 characters, values of up to 512 characters.</summary>
public sealed class AgentMetadataMustHaveAtMost16ShortStringKeysRule(IReadOnlyDictionary<string, string> metadata) : IBusinessRule
{
    public const int MaxKeys = 16;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 512;

    public bool IsBroken() => Problem is not null;

    public string Message => Problem ?? "metadata is valid.";

    public string? Param => "metadata";

    private string? Problem
    {
        get
        {
            if (metadata.Count > MaxKeys)
            {
                return $"metadata must have at most {MaxKeys} keys (it has {metadata.Count}).";
            }

            foreach (var (key, value) in metadata)
            {
                if (key.Length is 0 or > MaxKeyLength)
                {
                    return $"metadata keys must be 1 to {MaxKeyLength} characters ('{Truncate(key)}' is {key.Length}).";
                }

                if (value is null)
                {
                    return $"metadata['{key}'] must be a string.";
                }

                if (value.Length > MaxValueLength)
                {
                    return $"metadata['{key}'] must be at most {MaxValueLength} characters (it has {value.Length}).";
                }
            }

            return null;
        }
    }

    private static string Truncate(string key) => key.Length <= MaxKeyLength ? key : key[..MaxKeyLength] + "…";
}
