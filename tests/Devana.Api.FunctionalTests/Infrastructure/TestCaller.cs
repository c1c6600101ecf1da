namespace Devana.Api.FunctionalTests.Infrastructure;

/// <summary>
/// An authenticated caller for functional tests: its principal and an <see cref="HttpClient"/> that
/// sends its bearer token. Made by <c>DevanaApiFactory.CreateUserAsync</c> /
/// <c>CreateMachineClientAsync</c> (DevanaApiFactory.Auth.cs).
/// </summary>
/// <param name="WorkspaceId">The caller's workspace.</param>
/// <param name="PrincipalId"><c>usr_…</c> or <c>cli_…</c>.</param>
/// <param name="Client">Sends <c>Authorization: Bearer …</c> on every request.</param>
public sealed record TestCaller(string WorkspaceId, string PrincipalId, HttpClient Client);
