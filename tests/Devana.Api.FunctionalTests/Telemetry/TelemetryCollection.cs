namespace Devana.Api.FunctionalTests.Telemetry;

/// <summary>
/// Test hosts share the process, and an OpenTelemetry meter provider listens to every meter of the names it
/// was given, whichever host created it (and stops reporting an instrument when another host disposes its
/// namesake). Tests that read Devana's metrics therefore run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
