using Devana.Application.Common.Interfaces;
using Microsoft.AspNetCore.DataProtection;

namespace Devana.Infrastructure.Tools;

/// <summary>Tool secrets under their own Data Protection purpose (the key ring is the one the identity server keeps in the database).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Devana.Tools.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
