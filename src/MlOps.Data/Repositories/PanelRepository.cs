using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>Visualization panels: uploaded panel templates and the saved state of panel instances in projects.</summary>
public sealed class PanelRepository(MlOpsDbContext db, FileRepository files, TimeProvider clock)
{
    public async Task<VisualizationStore> GetStoreAsync(Guid projectId, string instanceId, CancellationToken ct) =>
        await db.VisualizationStores.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId && s.InstanceId == instanceId, ct)
        ?? throw DomainException.NotFound(EntityKind.VisualizationStore, instanceId);

    /// <summary>Replaces the instance's whole store.</summary>
    public async Task SaveStoreAsync(Guid projectId, string instanceId, string store, CancellationToken ct)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct))
        {
            throw DomainException.NotFound(EntityKind.Project, projectId.ToString("N"));
        }
        var existing = await db.VisualizationStores.SingleOrDefaultAsync(s => s.ProjectId == projectId && s.InstanceId == instanceId, ct);
        if (existing is null)
        {
            db.VisualizationStores.Add(new VisualizationStore { ProjectId = projectId, InstanceId = instanceId, Store = store });
        }
        else
        {
            existing.Store = store;
            existing.LastUpdate = clock.GetUtcNow().UtcDateTime;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Stores a panel's code (a file, usually a zip) under a new template id.</summary>
    public async Task<PanelTemplate> UploadTemplateAsync(string name, Stream content, string? contentType, long maxBytes, Guid? userId, CancellationToken ct)
    {
        var template = new PanelTemplate { Name = name, FilePath = "", UserId = userId };
        template.FilePath = $"panels/{template.Id:N}/{name}";
        await files.PutAsync(template.FilePath, content, contentType, maxBytes, ct);
        db.PanelTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return template;
    }
}
