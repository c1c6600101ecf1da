namespace Devana.Domain.Common;

/// <summary>
/// Something that happened in the domain. Domain stays free of MediatR; Application adapts these
/// (see docs/decisions/ADR-003-domain-events.md).
/// </summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
