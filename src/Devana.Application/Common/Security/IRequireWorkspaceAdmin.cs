namespace Devana.Application.Common.Security;

/// <summary>
/// Marks a request only a workspace admin may send (a user with the owner or admin role, or a client
/// granted the <c>admin</c> scope). <see cref="Behaviors.WorkspaceAdminBehavior{TRequest, TResponse}"/>
/// refuses everyone else with 403 <c>access_denied</c> before the request is even validated.
/// </summary>
public interface IRequireWorkspaceAdmin;
