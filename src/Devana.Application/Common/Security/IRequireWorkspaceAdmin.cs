namespace Devana.Application.Common.Security;

/// <summary>
/// Marks a request that only a workspace admin may send: a user whose role is owner or admin, or a
/// client holding the <c>admin</c> scope. <see cref="Behaviors.WorkspaceAdminBehavior{TRequest,TResponse}"/>
/// refuses anyone else with 403 <c>access_denied</c> before validation runs. The endpoint's scope
/// (<c>admin</c>) is checked earlier, by the API's authorization policy.
/// </summary>
public interface IRequireWorkspaceAdmin;
