namespace MlOps.Data.Events;

/// <summary>A change other parts of the server react to, whichever surface made it.</summary>
public interface IDomainEvent
{
    Guid WorkspaceId { get; }
}

/// <summary>The stages of a registry model version changed (Comet's stage calls, ZenML's model version stage, ...).</summary>
public sealed record RegistryStageChanged(
    Guid WorkspaceId, Guid RegisteredModelId, string Version, IReadOnlyList<string> Before, IReadOnlyList<string> After, DateTime At) : IDomainEvent;

/// <summary>Where committed domain events go; the server's reactions (webhooks, ...) subscribe there.</summary>
public interface IDomainEventSink
{
    void Publish(IDomainEvent domainEvent);
}

/// <summary>For hosts that react to nothing (the admin verbs).</summary>
public sealed class NoDomainEvents : IDomainEventSink
{
    public void Publish(IDomainEvent domainEvent)
    {
    }
}
