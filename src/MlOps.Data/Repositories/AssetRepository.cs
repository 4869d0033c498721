using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>What an uploaded file is; <paramref name="ModelName"/> attaches it to the experiment's model of that name (created when missing).</summary>
/// <summary>An upload; <paramref name="AssetId"/> is the id the client chose (comet_ml does), sent again when it retries.</summary>
public sealed record AssetUpload(
    string FileName, string? Type, long? Step, string? Context, string? Metadata, string? ContentType,
    string? ModelName = null, Guid? ArtifactVersionId = null, string? AssetId = null);

/// <summary>A stored file as it goes into an archive.</summary>
public sealed record NamedFile(string Name, StoredFile File);

public sealed record RemoteAsset(string? AssetId, string FileName, string? Type, string Link, string? Metadata, Guid? ArtifactVersionId = null, long? Step = null);

/// <summary>Experiment assets: uploaded bytes go to the blob store through the workspace's files, remote ones are links.</summary>
public sealed class AssetRepository(MlOpsDbContext db, FileRepository files, TimeProvider clock)
{
    /// <summary>Stores the upload; with <paramref name="overwrite"/>, an asset of the same file name is replaced (keeping its id).</summary>
    public async Task<ExperimentAsset> UploadAsync(Guid experimentId, AssetUpload upload, Stream content, bool overwrite, long maxBytes, CancellationToken ct)
    {
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == experimentId, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        if (upload.ArtifactVersionId is { } versionId && !await db.ArtifactVersions.AnyAsync(v => v.Id == versionId, ct))
        {
            throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));
        }
        var existing = upload.AssetId is { } chosen
            ? await db.ExperimentAssets.SingleOrDefaultAsync(a => a.ExperimentId == experimentId && a.AssetId == chosen, ct)
            : null;
        existing ??= overwrite
            ? await db.ExperimentAssets.SingleOrDefaultAsync(
                a => a.ExperimentId == experimentId && a.FileName == upload.FileName && a.FilePath != null && a.ArtifactVersionId == upload.ArtifactVersionId, ct)
            : null;
        var modelId = upload.ModelName is { } modelName ? await ModelOfExperimentAsync(experiment, modelName, ct) : (Guid?)null;
        var assetId = existing?.AssetId ?? upload.AssetId ?? Guid.NewGuid().ToString("N");
        var path = $"assets/{experimentId:N}/{assetId}/{upload.FileName}";
        var stored = await files.PutAsync(path, content, upload.ContentType, maxBytes, ct);
        var asset = existing ?? new ExperimentAsset { ExperimentId = experimentId, AssetId = assetId, FileName = upload.FileName };
        asset.Type = upload.Type;
        asset.Step = upload.Step;
        asset.Context = upload.Context;
        asset.Metadata = upload.Metadata;
        asset.ModelId = modelId;
        asset.ArtifactVersionId = upload.ArtifactVersionId;
        asset.Size = stored.Size;
        asset.FilePath = path;
        asset.CreatedAt = clock.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            db.ExperimentAssets.Add(asset);
        }
        await db.SaveChangesAsync(ct);
        return asset;
    }

    public async Task<List<ExperimentAsset>> AddRemoteAsync(Guid experimentId, IReadOnlyList<RemoteAsset> remotes, CancellationToken ct)
    {
        await RequireExperimentAsync(experimentId, ct);
        foreach (var versionId in remotes.Select(r => r.ArtifactVersionId).OfType<Guid>().Distinct())
        {
            if (!await db.ArtifactVersions.AnyAsync(v => v.Id == versionId, ct))
            {
                throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));
            }
        }
        // A remote asset sent again under its id (a client's retry) is updated, not added twice.
        var ids = remotes.Select(r => r.AssetId).OfType<string>().ToList();
        var known = ids.Count == 0 ? [] : await db.ExperimentAssets
            .Where(a => a.ExperimentId == experimentId && ids.Contains(a.AssetId) && a.RemoteLink != null).ToDictionaryAsync(a => a.AssetId, ct);
        var assets = remotes.Select(r =>
        {
            var asset = r.AssetId is { } id && known.TryGetValue(id, out var existing)
                ? existing
                : db.ExperimentAssets.Add(new ExperimentAsset { ExperimentId = experimentId, AssetId = r.AssetId ?? Guid.NewGuid().ToString("N"), FileName = r.FileName }).Entity;
            asset.FileName = r.FileName;
            asset.Type = r.Type;
            asset.RemoteLink = r.Link;
            asset.Metadata = r.Metadata;
            asset.ArtifactVersionId = r.ArtifactVersionId;
            asset.Step = r.Step;
            return asset;
        }).ToList();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.Experiment, "an asset with that id already exists");
        }
        return assets;
    }

    /// <summary>
    /// An asset declared before its content arrives in parts (comet_ml's 3D points: the asset, then its items and a
    /// thumbnail, each uploaded as an asset of its own that names this one in its metadata). Declaring it again is a no-op.
    /// </summary>
    public async Task<ExperimentAsset> DeclareAsync(Guid experimentId, string? assetId, string fileName, string? type, long? step, string? metadata, CancellationToken ct)
    {
        await RequireExperimentAsync(experimentId, ct);
        if (assetId is not null && await db.ExperimentAssets.AsNoTracking().SingleOrDefaultAsync(a => a.ExperimentId == experimentId && a.AssetId == assetId, ct) is { } existing)
        {
            return existing;
        }
        var asset = new ExperimentAsset
        {
            ExperimentId = experimentId, AssetId = assetId ?? Guid.NewGuid().ToString("N"), FileName = fileName, Type = type, Step = step, Metadata = metadata,
        };
        db.ExperimentAssets.Add(asset);
        await db.SaveChangesAsync(ct);
        return asset;
    }

    /// <summary>The experiment's own files (an artifact's files are listed with the artifact).</summary>
    public Task<List<ExperimentAsset>> ListAsync(Guid experimentId, string? type, CancellationToken ct)
    {
        var rows = db.ExperimentAssets.AsNoTracking().Where(a => a.ExperimentId == experimentId && a.ArtifactVersionId == null);
        if (!string.IsNullOrEmpty(type) && type != "all")
        {
            rows = rows.Where(a => a.Type == type);
        }
        return rows.OrderBy(a => a.CreatedAt).ThenBy(a => a.AssetId).ToListAsync(ct);
    }

    public Task<List<ExperimentAsset>> ListOfModelAsync(Guid modelId, CancellationToken ct) =>
        db.ExperimentAssets.AsNoTracking().Where(a => a.ModelId == modelId).OrderBy(a => a.CreatedAt).ThenBy(a => a.AssetId).ToListAsync(ct);

    public Task<List<ExperimentAsset>> ListOfArtifactVersionAsync(Guid versionId, CancellationToken ct) =>
        db.ExperimentAssets.AsNoTracking().Where(a => a.ArtifactVersionId == versionId).OrderBy(a => a.FileName).ThenBy(a => a.AssetId).ToListAsync(ct);

    /// <summary>
    /// The stored bytes of a model: its uploaded files and, for a model whose URI points into this server's files
    /// (a ClearML OutputModel), that file.
    /// </summary>
    public async Task<List<NamedFile>> StoredFilesOfModelAsync(Model model, CancellationToken ct)
    {
        var found = await StoredFilesAsync(await ListOfModelAsync(model.Id, ct), ct);
        const string filesPrefix = "/files/";
        if (model.Uri is { } uri && uri.IndexOf(filesPrefix, StringComparison.Ordinal) is var at and >= 0
            && await files.FindAsync(Uri.UnescapeDataString(uri[(at + filesPrefix.Length)..]), ct) is { } own)
        {
            found.Add(new NamedFile(own.Path[(own.Path.LastIndexOf('/') + 1)..], own));
        }
        return found;
    }

    public async Task<List<NamedFile>> StoredFilesAsync(IEnumerable<ExperimentAsset> assets, CancellationToken ct)
    {
        var found = new List<NamedFile>();
        foreach (var asset in assets)
        {
            if (asset.FilePath is { } path && await files.FindAsync(path, ct) is { } file)
            {
                found.Add(new NamedFile(asset.FileName, file));
            }
        }
        return found;
    }

    public Task<Stream> OpenAsync(StoredFile file, CancellationToken ct) => files.OpenAsync(file, ct);

    public async Task<ExperimentAsset> GetAsync(Guid experimentId, string assetId, CancellationToken ct) =>
        await db.ExperimentAssets.AsNoTracking().SingleOrDefaultAsync(a => a.ExperimentId == experimentId && a.AssetId == assetId, ct)
        ?? throw new DomainException(DomainError.NotFound, EntityKind.Asset, $"asset={assetId}");

    /// <summary>The bytes of an uploaded asset (null for a remote one, which has no bytes here).</summary>
    public async Task<(StoredFile File, Stream Content)?> OpenAsync(ExperimentAsset asset, CancellationToken ct)
    {
        if (asset.FilePath is null || await files.FindAsync(asset.FilePath, ct) is not { } file)
        {
            return null;
        }
        return (file, await files.OpenAsync(file, ct));
    }

    public async Task DeleteAsync(Guid experimentId, string assetId, CancellationToken ct)
    {
        var asset = await GetAsync(experimentId, assetId, ct);
        await db.ExperimentAssets.Where(a => a.ExperimentId == experimentId && a.AssetId == assetId).ExecuteDeleteAsync(ct);
        if (asset.FilePath is { } path)
        {
            await files.DeleteAsync(path, ct);
        }
    }

    public async Task SetTagsAsync(Guid experimentId, string assetId, Func<List<string>, List<string>> change, CancellationToken ct)
    {
        var asset = await db.ExperimentAssets.SingleOrDefaultAsync(a => a.ExperimentId == experimentId && a.AssetId == assetId, ct)
            ?? throw new DomainException(DomainError.NotFound, EntityKind.Asset, $"asset={assetId}");
        asset.Tags = change(asset.Tags);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Comet groups a model's files by name under the experiment; the shared model row of that name holds them.</summary>
    private async Task<Guid> ModelOfExperimentAsync(Experiment experiment, string name, CancellationToken ct)
    {
        var model = await db.Models.Where(m => m.ExperimentId == experiment.Id && m.Name == name).OrderBy(m => m.CreatedAt).FirstOrDefaultAsync(ct);
        if (model is null)
        {
            model = new Model { Name = name, ExperimentId = experiment.Id, ProjectId = experiment.ProjectId, UserId = experiment.UserId, Ready = true };
            db.Models.Add(model);
        }
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        return model.Id;
    }

    private async Task RequireExperimentAsync(Guid experimentId, CancellationToken ct)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, ct))
        {
            throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        }
    }
}
