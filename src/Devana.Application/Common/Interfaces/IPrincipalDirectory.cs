namespace Devana.Application.Common.Interfaces;

/// <summary>
/// Whether a principal (<c>usr_…</c> or <c>cli_…</c>) exists in a workspace. Identity implements it
/// over its user and client tables; until one is registered, any well-formed principal id is taken as
/// existing (quotas can be set ahead for principals that are yet to be created).
/// </summary>
public interface IPrincipalDirectory
{
    Task<bool> ExistsAsync(string workspaceId, string principalId, CancellationToken cancellationToken);
}
