namespace Devana.Application.Common.Interfaces;

/// <summary>
/// Encrypts secrets Devana keeps (tool header values) with ASP.NET Core Data Protection, so that the
/// database holds only ciphertext. Unprotected values are used only to make the call they belong to.
/// </summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
