namespace Devana.Api.Infrastructure;

/// <summary>
/// Where <c>appsettings.json</c> and <c>wwwroot</c> are read from: the folder of <c>Devana.Api.dll</c>, wherever
/// the process is started from (<c>dotnet path/Devana.Api.dll</c> from another folder still applies the shipped
/// settings), unless a content root is given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c> or
/// <c>DOTNET_CONTENTROOT</c>). Relative data paths (the SQLite file, <c>Devana:DataPath</c>, file storage) are
/// not affected: they resolve against the current directory (docs/operations in README).
/// </summary>
public static class ContentRoot
{
    public static string? Resolve(string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[WebHostDefaults.ContentRootKey];
        return string.IsNullOrEmpty(given) ? AppContext.BaseDirectory : null;
    }
}
