using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Data.Entities;
using MlOps.Data.Events;
using MlOps.Data.Tenancy;

namespace MlOps.Data.Tests;

/// <summary>
/// The data layer on its own, on a fresh embedded database per test class: the services the server registers, a
/// migrated SQLite file, and workspaces to act in. Rules that need no HTTP are tested here.
/// </summary>
public sealed class DataStore : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mlops-data-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;

    public List<IDomainEvent> Published { get; } = [];

    public IServiceProvider Services => _services;

    public WorkspaceContextFactory Contexts => _services.GetRequiredService<WorkspaceContextFactory>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddSingleton<IDomainEventSink>(new RecordingSink(Published));
        services.AddMlOpsData(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_directory, "mlops.db")}", passwordHashIterations: 1000);
        services.AddFileSystemBlobStore(Path.Combine(_directory, "blobs"));
        _services = services.BuildServiceProvider();
        await using var db = Contexts.For(null);
        await db.PrepareAsync(CancellationToken.None);
        await db.Database.MigrateAsync();
    }

    /// <summary>A new workspace with a project and an experiment in it.</summary>
    public async Task<(Guid Workspace, Guid Project, Guid Experiment)> WorkspaceAsync()
    {
        var workspace = await _services.GetRequiredService<TenantAdmin>().CreateWorkspaceAsync("ws-" + Guid.NewGuid().ToString("N")[..10], CancellationToken.None);
        await using var db = Contexts.For(workspace.Id);
        var project = new Project { Name = "project-" + Guid.NewGuid().ToString("N")[..8] };
        db.Projects.Add(project);
        var experiment = new Experiment { Name = "run", Type = "training", ProjectId = project.Id };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync();
        return (workspace.Id, project.Id, experiment.Id);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class RecordingSink(List<IDomainEvent> published) : IDomainEventSink
    {
        public void Publish(IDomainEvent domainEvent)
        {
            lock (published)
            {
                published.Add(domainEvent);
            }
        }
    }
}
