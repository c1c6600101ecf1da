namespace Devana.Domain.Quotas;

/// <summary>Where a quota applies. Every request is counted at all three levels at once.</summary>
public enum QuotaLevel
{
    /// <summary>The whole workspace; the subject is the workspace id.</summary>
    Workspace,

    /// <summary>One user (<c>usr_…</c>) or machine client (<c>cli_…</c>).</summary>
    Principal,

    /// <summary>One agent, whoever calls it.</summary>
    Agent,
}
