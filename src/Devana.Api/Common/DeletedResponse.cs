namespace Devana.Api.Common;

/// <summary>
/// What a <c>DELETE</c> answers: OpenAI's deletion shape (<c>{"id", "object", "deleted": true}</c>), which
/// the SDKs read into their <c>*Deleted</c> results; <c>object</c> is the deleted resource's own.
/// </summary>
public sealed record DeletedResponse(string Id, string Object)
{
    public bool Deleted => true;
}
