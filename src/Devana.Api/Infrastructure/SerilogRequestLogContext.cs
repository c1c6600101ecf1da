using Devana.Application.Common.Interfaces;
using Serilog;

namespace Devana.Api.Infrastructure;

/// <summary>Feeds Serilog's request-completion line (<c>UseSerilogRequestLogging</c>).</summary>
public sealed class SerilogRequestLogContext(IDiagnosticContext diagnostics) : IRequestLogContext
{
    public void Set(string property, object? value) => diagnostics.Set(property, value);
}
