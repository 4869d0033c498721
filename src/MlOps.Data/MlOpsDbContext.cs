using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Data;

/// <summary>
/// The one data model. Tenant isolation lives here and nowhere else: every <see cref="IWorkspaceOwned"/>
/// entity gets a query filter on the scope's workspace, and every added row is stamped with it.
/// Provider-specific subclasses exist only so that each provider keeps its own migrations.
/// </summary>
public abstract class MlOpsDbContext(DbContextOptions options, IWorkspaceScope scope) : DbContext(options)
{
    /// <summary>Read at each query and save, so a request that switches to a workspace it may act in sees that one.</summary>
    private Guid CurrentWorkspaceId => scope.WorkspaceId ?? Guid.Empty;

    public Guid? ScopeWorkspaceId => scope.WorkspaceId;

    /// <summary>The scope the context filters by, for a context on the read replica that must see the same workspace.</summary>
    internal IWorkspaceScope Scope => scope;

    /// <summary>
    /// Whether this context has written anything (see <see cref="Replication.WritesSeen"/>): from then on the request's heavy
    /// reads stay on it rather than going to the read replica.
    /// </summary>
    public bool HasWritten { get; private set; }

    internal void NoteWrite() => HasWritten = true;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<ServerSetting> ServerSettings => Set<ServerSetting>();
    public DbSet<RevokedToken> RevokedTokens => Set<RevokedToken>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<ExperimentParameter> ExperimentParameters => Set<ExperimentParameter>();
    public DbSet<MetricSeries> MetricSeries => Set<MetricSeries>();
    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();
    public DbSet<MetricTier> MetricTiers => Set<MetricTier>();
    public DbSet<MetricPointMark> MetricPointMarks => Set<MetricPointMark>();
    public DbSet<ExperimentEvent> Events => Set<ExperimentEvent>();
    public DbSet<Blob> Blobs => Set<Blob>();
    public DbSet<StoredFile> Files => Set<StoredFile>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<Queue> Queues => Set<Queue>();
    public DbSet<QueueEntry> QueueEntries => Set<QueueEntry>();
    public DbSet<Worker> Workers => Set<Worker>();
    public DbSet<ExperimentAsset> ExperimentAssets => Set<ExperimentAsset>();
    public DbSet<RegisteredModel> RegisteredModels => Set<RegisteredModel>();
    public DbSet<RegisteredModelVersion> RegisteredModelVersions => Set<RegisteredModelVersion>();
    public DbSet<Artifact> Artifacts => Set<Artifact>();
    public DbSet<ArtifactVersion> ArtifactVersions => Set<ArtifactVersion>();
    public DbSet<ExperimentLink> ExperimentLinks => Set<ExperimentLink>();
    public DbSet<VisualizationStore> VisualizationStores => Set<VisualizationStore>();
    public DbSet<PanelTemplate> PanelTemplates => Set<PanelTemplate>();
    public DbSet<RemoteCall> RemoteCalls => Set<RemoteCall>();
    public DbSet<IngestReceipt> IngestReceipts => Set<IngestReceipt>();
    public DbSet<WebhookTarget> WebhookTargets => Set<WebhookTarget>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<Input> Inputs => Set<Input>();
    public DbSet<Concept> Concepts => Set<Concept>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<AnnotationFilter> AnnotationFilters => Set<AnnotationFilter>();
    public DbSet<AnnotationEvaluation> AnnotationEvaluations => Set<AnnotationEvaluation>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<Stack> Stacks => Set<Stack>();
    public DbSet<StackComponent> StackComponents => Set<StackComponent>();
    public DbSet<PipelineDeployment> PipelineDeployments => Set<PipelineDeployment>();
    public DbSet<PipelineSchedule> PipelineSchedules => Set<PipelineSchedule>();
    public DbSet<Secret> Secrets => Set<Secret>();
    public DbSet<StorageSettings> StorageSettings => Set<StorageSettings>();
    public DbSet<ServingContainer> ServingContainers => Set<ServingContainer>();
    public DbSet<ServingSample> ServingSamples => Set<ServingSample>();
    public DbSet<WorkerStat> WorkerStats => Set<WorkerStat>();
    public DbSet<QueueMetric> QueueMetrics => Set<QueueMetric>();
    public DbSet<ServiceConnector> ServiceConnectors => Set<ServiceConnector>();

    public abstract DatabaseProvider Provider { get; }

    // What differs between the databases, each answered by its provider's context (Providers/).

    /// <summary>Tuning applied at start-up, before migrations.</summary>
    public abstract Task PrepareAsync(CancellationToken ct);

    /// <summary>
    /// Held while a process migrates and bootstraps, so that replicas started together on an empty database take turns
    /// (the database is created first when missing). Disposing it lets the next one in.
    /// </summary>
    public abstract Task<IAsyncDisposable> LockStartupAsync(CancellationToken ct);

    /// <summary>
    /// The clause that locks selected rows for an update of non-key columns, or null where writers never wait on rows
    /// (SQLite locks the whole database). Used to take row locks in a fixed order ahead of updates.
    /// </summary>
    public abstract string? RowUpdateLock { get; }

    /// <summary>
    /// The clause that locks selected rows and passes over rows another transaction holds, so that workers taking
    /// turns at a queue table each claim different rows; empty where one process is the only worker (SQLite).
    /// </summary>
    public abstract string ClaimRowsLock { get; }

    /// <summary>Whether the failure is a foreign key the database refused (a row named something deleted meanwhile).</summary>
    public abstract bool IsForeignKeyViolation(Exception e);

    /// <summary>
    /// A statement the database refused because of a value the caller sent (a regular expression it cannot compile,
    /// text its type cannot hold, a number out of range): bad input, not a defect. Null for any other failure.
    /// </summary>
    public abstract Repositories.DomainException? RefusedValue(Exception e);

    /// <summary>Writes the points by the database's bulk path when it has one; false when it has none (the caller inserts them).</summary>
    public abstract Task<bool> TryCopyPointsAsync(Guid workspaceId, IReadOnlyList<Metrics.PointInput> points, Func<Metrics.PointInput, long> seriesOf, CancellationToken ct);

    /// <summary>
    /// One pass of the points table's upkeep: what the next ingest needs made ahead (partitions), marks of what was
    /// stored by now, and the points past retention removed. Spans every workspace.
    /// </summary>
    public abstract Task KeepPointsAsync(Metrics.PointKeeping keeping, CancellationToken ct);

    /// <summary>Writes the events by the database's bulk path when it has one; false when it has none.</summary>
    public abstract Task<bool> TryCopyEventsAsync(Guid workspaceId, IReadOnlyList<Metrics.EventInput> events, CancellationToken ct);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MlOpsDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(IWorkspaceOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(WorkspaceFilter(entity.ClrType));
            }
        }
    }

    private static readonly System.Reflection.PropertyInfo WorkspaceIdProperty =
        typeof(MlOpsDbContext).GetProperty(nameof(CurrentWorkspaceId), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

    private LambdaExpression WorkspaceFilter(Type entityType)
    {
        var row = Expression.Parameter(entityType, "row");
        var rowWorkspace = Expression.Property(row, nameof(IWorkspaceOwned.WorkspaceId));
        var current = Expression.Property(Expression.Constant(this, typeof(MlOpsDbContext)), WorkspaceIdProperty);
        return Expression.Lambda(Expression.Equal(rowWorkspace, current), row);
    }

    /// <summary>The version of each <see cref="IVersioned"/> row as this context first read it (tracked or not).</summary>
    private readonly Dictionary<Guid, long> _firstReadVersions = [];

    internal void RememberRead(IVersioned row) => _firstReadVersions.TryAdd(row.Id, row.Version);

    /// <summary>Forgets every read, so that the work can start again on what is stored now (after a write conflict).</summary>
    public void ForgetReads()
    {
        ChangeTracker.Clear();
        _firstReadVersions.Clear();
    }

    /// <summary>
    /// Each changed <see cref="IVersioned"/> row is written only if it still has the version this context first read
    /// (so a change computed from that read cannot overwrite a change made since), and counts up. A row changed since
    /// fails the save with <see cref="DbUpdateConcurrencyException"/>, and the request starts again on fresh reads.
    /// </summary>
    private void CountVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            var version = entry.Property(e => e.Version);
            var read = _firstReadVersions.GetValueOrDefault(entry.Entity.Id, version.OriginalValue);
            version.OriginalValue = read;
            version.CurrentValue = read + 1;
            _firstReadVersions[entry.Entity.Id] = read + 1;
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampWorkspace();
        RequireLengths();
        CountVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampWorkspace();
        RequireLengths();
        CountVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Text longer than its column allows, or holding a NUL character, is the caller's mistake, refused the same way
    /// on every provider (PostgreSQL would fail the statement, SQLite would store it).
    /// </summary>
    private void RequireLengths()
    {
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is string nul && nul.Contains('\0'))
                {
                    throw new Repositories.DomainException(Repositories.DomainError.InvalidInput, KindOf(entry),
                        $"{property.Metadata.Name} holds a NUL character");
                }
                if (property.Metadata.GetMaxLength() is { } max && property.CurrentValue is string text && text.Length > max)
                {
                    throw new Repositories.DomainException(Repositories.DomainError.InvalidInput, KindOf(entry),
                        $"{property.Metadata.Name} is longer than {max} characters");
                }
            }
        }
    }

    private static Repositories.EntityKind KindOf(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        Enum.TryParse<Repositories.EntityKind>(entry.Metadata.ClrType.Name, out var kind) ? kind : Repositories.EntityKind.Project;

    private void StampWorkspace()
    {
        var workspaceId = CurrentWorkspaceId;
        foreach (var entry in ChangeTracker.Entries<IWorkspaceOwned>())
        {
            if (entry.State is EntityState.Added && entry.Entity.WorkspaceId == Guid.Empty)
            {
                entry.Entity.WorkspaceId = workspaceId;
            }
            if (entry.State is EntityState.Added or EntityState.Modified && entry.Entity.WorkspaceId != workspaceId)
            {
                throw new InvalidOperationException(
                    $"A {entry.Metadata.ClrType.Name} of another workspace cannot be written in this scope.");
            }
        }
        if (workspaceId == Guid.Empty && ChangeTracker.Entries<IWorkspaceOwned>().Any(e => e.State != EntityState.Unchanged))
        {
            throw new InvalidOperationException("Tenant rows cannot be written without a workspace scope.");
        }
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
