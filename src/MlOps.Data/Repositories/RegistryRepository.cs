using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

public sealed record RegisteredModelView(RegisteredModel Model, List<RegisteredModelVersion> Versions);

/// <summary>A version's stages before and after a change (what registry webhooks report).</summary>
public sealed record StageChange(string ModelName, string Version, List<string> Before, List<string> After)
{
    public bool Changed => !Before.SequenceEqual(After);
}

/// <summary>A registered model's own fields (its model card); null members are left as they are.</summary>
public sealed record ModelCard(
    string? Name, string? Description, string? License = null, string? EthicalConsiderations = null, string? TradeOffs = null,
    string? Limitations = null, string? Audience = null, string? UseCases = null);

/// <summary>The model registry: registered models and their versions, each version usually pointing at an experiment model.</summary>
public sealed class RegistryRepository(MlOpsDbContext db, TimeProvider clock)
{
    /// <summary>Registers a new model and its first version.</summary>
    public async Task<(RegisteredModel Model, RegisteredModelVersion Version)> CreateAsync(
        string name, string? description, bool isPublic, Guid? modelId, string version, string? comment, IReadOnlyList<string>? stages,
        Guid? userId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var model = new RegisteredModel { Name = Required(name, "registry model name"), Description = description, IsPublic = isPublic, UserId = userId };
        db.RegisteredModels.Add(model);
        await SaveModelAsync(model, ct);
        var added = await AddVersionAsync(model.Id, modelId, version, comment, stages, userId, ct);
        await transaction.CommitAsync(ct);
        return (model, added);
    }

    /// <summary>A new version of a registered model (by name); versions are unique per model.</summary>
    public async Task<(RegisteredModel Model, RegisteredModelVersion Version)> PromoteAsync(
        string name, Guid? modelId, string version, string? comment, IReadOnlyList<string>? stages, Guid? userId, CancellationToken ct)
    {
        var model = await FindAsync(name, ct);
        return (model, await AddVersionAsync(model.Id, modelId, version, comment, stages, userId, ct));
    }

    public async Task<RegisteredModel> FindAsync(string name, CancellationToken ct) =>
        await db.RegisteredModels.AsNoTracking().SingleOrDefaultAsync(m => m.Name == name, ct)
        ?? throw DomainException.NotFound(EntityKind.RegisteredModel, name);

    public async Task<RegisteredModelView> GetAsync(string name, CancellationToken ct)
    {
        var model = await FindAsync(name, ct);
        return new RegisteredModelView(model, await VersionsAsync([model.Id], ct));
    }

    public async Task<List<RegisteredModelView>> ListAsync(CancellationToken ct)
    {
        var models = await db.RegisteredModels.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        var versions = (await VersionsAsync([.. models.Select(m => m.Id)], ct)).ToLookup(v => v.RegisteredModelId);
        return [.. models.Select(m => new RegisteredModelView(m, [.. versions[m.Id]]))];
    }

    public Task<int> CountAsync(CancellationToken ct) => db.RegisteredModels.CountAsync(ct);

    /// <summary>The stages a version may be in, one version per model at a time (ZenML stages; "none" is their absence).</summary>
    public static readonly string[] ExclusiveStages = ["staging", "production", "archived"];

    public IQueryable<RegisteredModel> Models => db.RegisteredModels.AsNoTracking();

    public IQueryable<RegisteredModelVersion> Versions => db.RegisteredModelVersions.AsNoTracking();

    /// <summary>Registers a model without versions yet.</summary>
    public async Task<RegisteredModel> CreateModelAsync(ModelCard card, Guid? userId, CancellationToken ct)
    {
        var model = new RegisteredModel { Name = Required(card.Name, "model name"), UserId = userId };
        Apply(model, card);
        db.RegisteredModels.Add(model);
        await SaveModelAsync(model, ct);
        return model;
    }

    public async Task<RegisteredModel> UpdateModelAsync(Guid id, ModelCard card, CancellationToken ct)
    {
        var model = await db.RegisteredModels.GetAsync(id, EntityKind.RegisteredModel, ct);
        model.Name = card.Name is null ? model.Name : Required(card.Name, "model name");
        Apply(model, card);
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await SaveModelAsync(model, ct);
        return model;
    }

    private static void Apply(RegisteredModel model, ModelCard card)
    {
        model.Description = card.Description ?? model.Description;
        model.License = card.License ?? model.License;
        model.EthicalConsiderations = card.EthicalConsiderations ?? model.EthicalConsiderations;
        model.TradeOffs = card.TradeOffs ?? model.TradeOffs;
        model.Limitations = card.Limitations ?? model.Limitations;
        model.Audience = card.Audience ?? model.Audience;
        model.UseCases = card.UseCases ?? model.UseCases;
    }

    /// <summary>Saves a new or changed model; its name is unique in the workspace (checked first, and again by the index under a race).</summary>
    private async Task SaveModelAsync(RegisteredModel model, CancellationToken ct)
    {
        var taken = new DomainException(DomainError.AlreadyExists, EntityKind.RegisteredModel, $"registry model already exists: name={model.Name}");
        if (await db.RegisteredModels.AnyAsync(m => m.Name == model.Name && m.Id != model.Id, ct))
        {
            throw taken;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw taken;
        }
    }

    public Task<RegisteredModel> GetModelAsync(Guid id, CancellationToken ct) => Models.GetAsync(id, EntityKind.RegisteredModel, ct);

    public Task DeleteModelAsync(Guid id, CancellationToken ct) => db.RegisteredModels.DeleteAsync(id, EntityKind.RegisteredModel, ct);

    /// <summary>A version named <paramref name="version"/>, or by its number when null; <paramref name="stage"/> is one of <see cref="ExclusiveStages"/>.</summary>
    public async Task<RegisteredModelVersion> AddVersionAsync(Guid registeredModelId, string? version, string? comment, string? stage, Guid? userId, CancellationToken ct)
    {
        await db.RegisteredModels.RequireAsync(registeredModelId, EntityKind.RegisteredModel, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var added = await AddVersionAsync(registeredModelId, null, version, comment, null, userId, ct);
        if (stage is not null)
        {
            await MoveStageAsync(added, stage, ct);
        }
        await transaction.CommitAsync(ct);
        return added;
    }

    public async Task<RegisteredModelVersion> UpdateVersionAsync(Guid versionId, string? version, string? comment, string? stage, CancellationToken ct)
    {
        var row = await VersionAsync(versionId, ct);
        if (version is not null && (version = Required(version, "version")) != row.Version)
        {
            if (await db.RegisteredModelVersions.AnyAsync(v => v.RegisteredModelId == row.RegisteredModelId && v.Version == version, ct))
            {
                throw new DomainException(DomainError.AlreadyExists, EntityKind.ModelVersion, $"version already exists: version={version}");
            }
            row.Version = version;
        }
        row.Comment = comment ?? row.Comment;
        row.LastUpdate = clock.GetUtcNow().UtcDateTime;
        if (stage is not null)
        {
            await MoveStageAsync(row, stage, ct);
        }
        await db.SaveChangesAsync(ct);
        return row;
    }

    public Task<RegisteredModelVersion> GetVersionAsync(Guid versionId, CancellationToken ct) => Versions.GetAsync(versionId, EntityKind.ModelVersion, ct);

    public static string ExclusiveStage(RegisteredModelVersion version) =>
        version.Stages.Select(s => s.ToLowerInvariant()).FirstOrDefault(ExclusiveStages.Contains) ?? "none";

    /// <summary>Puts the version in <paramref name="stage"/> ("none" takes it out of all), taking that stage from the model's other versions.</summary>
    private async Task MoveStageAsync(RegisteredModelVersion version, string stage, CancellationToken ct)
    {
        static List<string> Without(List<string> stages) => [.. stages.Where(s => !ExclusiveStages.Contains(s.ToLowerInvariant()))];
        if (stage != "none")
        {
            foreach (var other in await db.RegisteredModelVersions
                .Where(v => v.RegisteredModelId == version.RegisteredModelId && v.Id != version.Id).ToListAsync(ct))
            {
                other.Stages = [.. other.Stages.Where(s => !s.Equals(stage, StringComparison.OrdinalIgnoreCase))];
            }
        }
        version.Stages = stage == "none" ? Without(version.Stages) : [.. Without(version.Stages), stage];
        await db.SaveChangesAsync(ct);
    }

    public async Task UpdateAsync(Guid id, string? name, string? description, bool? isPublic, string? notes, CancellationToken ct)
    {
        var model = await db.RegisteredModels.GetAsync(id, EntityKind.RegisteredModel, ct);
        model.Name = name is null ? model.Name : Required(name, "registry model name");
        model.Description = description ?? model.Description;
        model.IsPublic = isPublic ?? model.IsPublic;
        model.Notes = notes ?? model.Notes;
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await SaveModelAsync(model, ct);
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var model = await FindAsync(name, ct);
        await db.RegisteredModels.Where(m => m.Id == model.Id).ExecuteDeleteAsync(ct);
    }

    public async Task<StageChange> UpdateVersionAsync(Guid versionId, string? comment, IReadOnlyList<string>? stages, CancellationToken ct)
    {
        var version = await VersionAsync(versionId, ct);
        version.Comment = comment ?? version.Comment;
        return await ChangeStagesAsync(version, stages is null ? version.Stages : [.. stages.Distinct()], ct);
    }

    public async Task<StageChange> SetStageAsync(Guid versionId, string stage, bool present, CancellationToken ct)
    {
        var version = await VersionAsync(versionId, ct);
        return await ChangeStagesAsync(version, present ? [.. version.Stages.Append(stage).Distinct()] : [.. version.Stages.Where(s => s != stage)], ct);
    }

    private async Task<StageChange> ChangeStagesAsync(RegisteredModelVersion version, List<string> stages, CancellationToken ct)
    {
        var before = version.Stages;
        version.Stages = stages;
        await db.SaveChangesAsync(ct);
        var name = await db.RegisteredModels.Where(m => m.Id == version.RegisteredModelId).Select(m => m.Name).SingleAsync(ct);
        return new StageChange(name, version.Version, before, stages);
    }

    public Task DeleteVersionAsync(Guid versionId, CancellationToken ct) => db.RegisteredModelVersions.DeleteAsync(versionId, EntityKind.ModelVersion, ct);

    /// <summary>A new version numbered after the model's last (MLflow's 1, 2, ...), pointing at an experiment model when given.</summary>
    public async Task<RegisteredModelVersion> AddNumberedVersionAsync(
        Guid registeredModelId, Guid? modelId, string? comment, IReadOnlyDictionary<string, string> properties, Guid? userId, CancellationToken ct)
    {
        await db.RegisteredModels.RequireAsync(registeredModelId, EntityKind.RegisteredModel, ct);
        var added = await AddVersionAsync(registeredModelId, modelId, null, comment, null, userId, ct);
        if (properties.Count > 0)
        {
            added.Properties = new Dictionary<string, string>(properties);
            await db.SaveChangesAsync(ct);
        }
        return added;
    }

    /// <summary>Changes the model's key/value properties (MLflow registered model tags).</summary>
    public async Task SetPropertiesAsync(Guid id, Action<Dictionary<string, string>> change, CancellationToken ct)
    {
        var model = await db.RegisteredModels.GetAsync(id, EntityKind.RegisteredModel, ct);
        var properties = new Dictionary<string, string>(model.Properties);
        change(properties);
        model.Properties = properties;
        model.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Changes a version's key/value properties (MLflow model version tags).</summary>
    public async Task SetVersionPropertiesAsync(Guid versionId, Action<Dictionary<string, string>> change, CancellationToken ct)
    {
        var version = await VersionAsync(versionId, ct);
        var properties = new Dictionary<string, string>(version.Properties);
        change(properties);
        version.Properties = properties;
        version.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Points the alias at the version (null: at none), taking it from whichever version of the model had it.</summary>
    public async Task SetAliasAsync(Guid registeredModelId, string alias, Guid? versionId, CancellationToken ct)
    {
        var versions = await db.RegisteredModelVersions.Where(v => v.RegisteredModelId == registeredModelId).ToListAsync(ct);
        if (versionId is { } id && versions.All(v => v.Id != id))
        {
            throw DomainException.NotFound(EntityKind.ModelVersion, id.ToString("N"));
        }
        foreach (var version in versions)
        {
            var aliases = version.Aliases.Where(a => a != alias).ToList();
            if (version.Id == versionId)
            {
                aliases.Add(alias);
            }
            if (!aliases.SequenceEqual(version.Aliases))
            {
                version.Aliases = aliases;
                version.LastUpdate = clock.GetUtcNow().UtcDateTime;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<RegisteredModelVersion> AddVersionAsync(
        Guid registeredModelId, Guid? modelId, string? version, string? comment, IReadOnlyList<string>? stages, Guid? userId, CancellationToken ct)
    {
        var number = 1 + (await db.RegisteredModelVersions.Where(v => v.RegisteredModelId == registeredModelId).MaxAsync(v => (int?)v.Number, ct) ?? 0);
        version = version is null ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : Required(version, "version");
        if (modelId is { } id && !await db.Models.AnyAsync(m => m.Id == id, ct))
        {
            throw new DomainException(DomainError.InvalidReference, EntityKind.Model, $"experiment model not found: id={id:N}");
        }
        if (await db.RegisteredModelVersions.AnyAsync(v => v.RegisteredModelId == registeredModelId && v.Version == version, ct))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.ModelVersion, $"version already exists: version={version}");
        }
        var added = new RegisteredModelVersion
        {
            RegisteredModelId = registeredModelId,
            Version = version,
            Number = number,
            ModelId = modelId,
            Comment = comment,
            Stages = [.. (stages ?? []).Distinct()],
            UserId = userId,
        };
        db.RegisteredModelVersions.Add(added);
        await db.SaveChangesAsync(ct);
        return added;
    }

    private Task<List<RegisteredModelVersion>> VersionsAsync(IReadOnlyList<Guid> modelIds, CancellationToken ct) =>
        db.RegisteredModelVersions.AsNoTracking().Where(v => modelIds.Contains(v.RegisteredModelId)).OrderBy(v => v.CreatedAt).ToListAsync(ct);

    private Task<RegisteredModelVersion> VersionAsync(Guid id, CancellationToken ct) => db.RegisteredModelVersions.GetAsync(id, EntityKind.ModelVersion, ct);

    private static string Required(string? value, string what) => Rows.Required(value, EntityKind.RegisteredModel, what);
}
