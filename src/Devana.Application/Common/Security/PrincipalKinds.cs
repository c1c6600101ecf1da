namespace Devana.Application.Common.Security;

/// <summary>The values of the <see cref="DevanaClaimTypes.PrincipalKind"/> claim.</summary>
public static class PrincipalKinds
{
    public const string User = "user";
    public const string Client = "client";
}
