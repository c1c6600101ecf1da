namespace Devana.Application.Common.Security;

public enum PrincipalKind
{
    User,
    Client,
}
