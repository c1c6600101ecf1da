using System.Security.Claims;
using Devana.Application.Common.Security;
using Devana.Infrastructure.Identity;
using Devana.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Devana.Api.Pages.Account;

/// <summary>
/// The login page behind <c>/connect/authorize</c>: workspace, email and password, with antiforgery
/// (Razor Pages validate it on every POST). A success sets the login cookie and returns to the
/// authorization request; failures count towards the account's lockout.
/// </summary>
public sealed class LoginModel(UserSignInService signIn, DevanaDbContext db, IdentitySettings settings, TimeProvider time) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? ClientName { get; private set; }

    public string? SignedInAs { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await DescribeClientAsync(cancellationToken);
        var login = await HttpContext.AuthenticateAsync(DevanaAuthentication.LoginScheme);
        if (login.Succeeded)
        {
            SignedInAs = login.Principal.FindFirst(Claims.Name)?.Value;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var attempt = await signIn.PasswordSignInAsync(Input.Workspace, Input.Email, Input.Password, cancellationToken);
        if (attempt is { Outcome: SignInOutcome.Succeeded, User: { } user })
        {
            var identity = new ClaimsIdentity(DevanaAuthentication.LoginScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user.Id));
            identity.AddClaim(new Claim(DevanaClaimTypes.WorkspaceId, user.WorkspaceId));
            identity.AddClaim(new Claim(Claims.Name, user.Name ?? user.Email));
            await HttpContext.SignInAsync(DevanaAuthentication.LoginScheme, new ClaimsPrincipal(identity));
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : DevanaAuthentication.LoginPath);
        }

        Error = attempt.Outcome == SignInOutcome.LockedOut
            ? $"Too many failed sign-ins: this account is locked for {Math.Max(1, (int)Math.Ceiling(((attempt.LockedUntil ?? time.GetUtcNow()) - time.GetUtcNow()).TotalMinutes))} minute(s)."
            : "The workspace, email or password is not right.";
        Input.Password = null;
        await DescribeClientAsync(cancellationToken);
        return Page();
    }

    /// <summary>Names the client being signed in to and, for a workspace's own client, fills in its workspace.</summary>
    private async Task DescribeClientAsync(CancellationToken cancellationToken)
    {
        var clientId = ClientIdOf(ReturnUrl);
        var client = clientId is null ? null : await (
            from candidate in db.ApiClients.AsNoTracking()
            join workspace in db.Workspaces on candidate.WorkspaceId equals workspace.Id
            where candidate.ClientId == clientId
            select new { candidate.Name, candidate.IsFirstParty, Workspace = workspace.Name }).FirstOrDefaultAsync(cancellationToken);
        ClientName = client?.Name;
        if (string.IsNullOrWhiteSpace(Input.Workspace))
        {
            Input.Workspace = client is { IsFirstParty: false } ? client.Workspace : settings.Bootstrap.Workspace;
        }
    }

    private static string? ClientIdOf(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return null;
        }

        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? null : QueryHelpers.ParseQuery(returnUrl[query..]).TryGetValue(Parameters.ClientId, out var value) ? value.ToString() : null;
    }
}

public sealed class LoginInput
{
    public string? Workspace { get; set; }

    public string? Email { get; set; }

    public string? Password { get; set; }
}
