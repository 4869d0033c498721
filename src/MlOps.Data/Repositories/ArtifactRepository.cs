using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;

namespace MlOps.Data.Repositories;

/// <summary>What an upsert changes on the artifact (null keeps the stored value) and the version it adds.</summary>
public sealed record ArtifactUpsert(
    Guid? ArtifactId, string? Name, string? Type, string? Description, string? Metadata, bool? IsPublic, string? Emoji,
    IReadOnlyList<string>? Tags, string? Version, string? VersionMetadata, IReadOnlyList<string>? VersionTags, IReadOnlyList<string>? Aliases);

public sealed record ArtifactUpserted(Artifact Artifact, ArtifactVersion Version, string? PreviousVersion);

/// <summary>Which version of which artifact: by version id, or by artifact (id or name) and version text or alias (else the newest).</summary>
public sealed record ArtifactVersionSelector(Guid? ArtifactId, string? ArtifactName, Guid? VersionId, string? Version, string? Alias);

public sealed record ArtifactView(Artifact Artifact, List<ArtifactVersion> Versions);

/// <summary>A version whose data lives at a URI (ZenML artifacts); without a version text it is numbered 1, 2, ...</summary>
public sealed record ArtifactVersionDraft(
    string? Name, string? Version, string? Type, string? Uri, string? Materializer, Guid? ProducerStepRunId, Guid? ProjectId);

/// <summary>A version with its artifact's name and type, as one row to filter and sort on.</summary>
public sealed class ArtifactVersionRow
{
    public required ArtifactVersion Version { get; init; }
    public required string Name { get; init; }
    public string? Type { get; init; }
    public Guid? ProjectId { get; init; }
    public DateTime ArtifactCreatedAt { get; init; }
    public DateTime ArtifactUpdatedAt { get; init; }
}

/// <summary>Artifacts and their semantically versioned file sets; the files are experiment assets tagged with the version.</summary>
public sealed class ArtifactRepository(MlOpsDbContext db, TimeProvider clock)
{
    /// <summary>Creates the artifact when new, updates what the upsert names, and adds an open version produced by the experiment.</summary>
    public async Task<ArtifactUpserted> UpsertAsync(Guid experimentId, ArtifactUpsert upsert, Guid? userId, CancellationToken ct)
    {
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == experimentId, ct)
            ?? throw DomainException.NotFound(EntityKind.Experiment, experimentId.ToString("N"));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var name = upsert.ArtifactId is null ? Required(upsert.Name, "artifactName") : null;
        var artifact = upsert.ArtifactId is { } id
            ? await db.Artifacts.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainException.NotFound(EntityKind.Artifact, id.ToString("N"))
            : await db.Artifacts.SingleOrDefaultAsync(a => a.Name == name, ct);
        if (artifact is null)
        {
            artifact = new Artifact { Name = name!, ProjectId = experiment.ProjectId, UserId = userId };
            db.Artifacts.Add(artifact);
        }
        artifact.Type = upsert.Type ?? artifact.Type;
        artifact.Description = upsert.Description ?? artifact.Description;
        artifact.Metadata = upsert.Metadata ?? artifact.Metadata;
        artifact.IsPublic = upsert.IsPublic ?? artifact.IsPublic;
        artifact.Emoji = upsert.Emoji ?? artifact.Emoji;
        artifact.Tags = upsert.Tags is null ? artifact.Tags : [.. upsert.Tags.Distinct()];
        artifact.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);

        var existing = await db.ArtifactVersions.Where(v => v.ArtifactId == artifact.Id).Select(v => v.Version).ToListAsync(ct);
        var previous = existing.Where(v => SemanticVersion.TryParse(v, out _)).OrderBy(SemanticVersion.Parse).LastOrDefault();
        var version = upsert.Version is { } requested ? SemanticVersion.Parse(requested).ToString() : SemanticVersion.NextMajor(previous);
        if (existing.Contains(version))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.ArtifactVersion, $"version {version} of artifact {artifact.Name} already exists");
        }
        var aliases = (upsert.Aliases ?? []).Distinct().ToList();
        await ReleaseAliasesAsync(artifact.Id, aliases, ct);
        var added = new ArtifactVersion
        {
            ArtifactId = artifact.Id,
            Version = version,
            ExperimentId = experimentId,
            Metadata = upsert.VersionMetadata,
            Tags = [.. (upsert.VersionTags ?? []).Distinct()],
            Aliases = aliases,
            UserId = userId,
        };
        db.ArtifactVersions.Add(added);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ArtifactUpserted(artifact, added, previous);
    }

    public IQueryable<ArtifactVersionRow> VersionRows =>
        from v in db.ArtifactVersions.AsNoTracking()
        join a in db.Artifacts on v.ArtifactId equals a.Id
        select new ArtifactVersionRow
        {
            Version = v, Name = a.Name, Type = a.Type, ProjectId = a.ProjectId, ArtifactCreatedAt = a.CreatedAt, ArtifactUpdatedAt = a.LastUpdate,
        };

    public async Task<ArtifactVersionRow> GetVersionRowAsync(Guid versionId, CancellationToken ct) =>
        await VersionRows.SingleOrDefaultAsync(r => r.Version.Id == versionId, ct)
        ?? throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));

    /// <summary>Adds a version to the artifact of that name (created when new; a type given replaces the stored one).</summary>
    public async Task<ArtifactVersionRow> AddVersionAsync(ArtifactVersionDraft draft, Guid? userId, CancellationToken ct)
    {
        var name = Required(draft.Name, "name");
        await db.Projects.RequireAsync(draft.ProjectId, EntityKind.Project, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var artifact = await db.Artifacts.SingleOrDefaultAsync(a => a.Name == name, ct);
        if (artifact is null)
        {
            artifact = new Artifact { Name = name, ProjectId = draft.ProjectId, UserId = userId };
            db.Artifacts.Add(artifact);
        }
        artifact.Type = draft.Type ?? artifact.Type;
        artifact.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        var existing = await db.ArtifactVersions.Where(v => v.ArtifactId == artifact.Id).Select(v => v.Version).ToListAsync(ct);
        var version = draft.Version is null
            ? (1 + existing.Select(v => int.TryParse(v, out var n) ? n : 0).DefaultIfEmpty(0).Max()).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Required(draft.Version, "version");
        if (existing.Contains(version))
        {
            throw new DomainException(DomainError.AlreadyExists, EntityKind.ArtifactVersion, $"version {version} of artifact {artifact.Name} already exists");
        }
        var added = new ArtifactVersion
        {
            ArtifactId = artifact.Id,
            Version = version,
            Uri = draft.Uri,
            Materializer = draft.Materializer,
            ProducerStepRunId = draft.ProducerStepRunId,
            State = ArtifactVersionState.Closed,
            UserId = userId,
        };
        db.ArtifactVersions.Add(added);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ArtifactVersionRow
        {
            Version = added, Name = artifact.Name, Type = artifact.Type, ProjectId = artifact.ProjectId,
            ArtifactCreatedAt = artifact.CreatedAt, ArtifactUpdatedAt = artifact.LastUpdate,
        };
    }

    /// <summary>Changes what is given (null keeps the stored value); tags given replace the stored ones.</summary>
    public async Task UpdateAsync(Guid artifactId, string? type, string? metadata, IReadOnlyList<string>? tags, CancellationToken ct)
    {
        var artifact = await db.Artifacts.SingleOrDefaultAsync(a => a.Id == artifactId, ct)
            ?? throw DomainException.NotFound(EntityKind.Artifact, artifactId.ToString("N"));
        artifact.Type = type ?? artifact.Type;
        artifact.Metadata = metadata ?? artifact.Metadata;
        artifact.Tags = tags is null ? artifact.Tags : [.. tags.Distinct()];
        artifact.LastUpdate = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Replaces the version's aliases, tags or metadata (null keeps the stored value); its aliases leave the other versions.</summary>
    public async Task UpdateVersionAsync(
        Guid versionId, IReadOnlyList<string>? aliases, string? metadata, IReadOnlyList<string>? tags, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var version = await db.ArtifactVersions.SingleOrDefaultAsync(v => v.Id == versionId, ct)
            ?? throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));
        if (aliases is not null)
        {
            var distinct = aliases.Distinct().ToList();
            await ReleaseAliasesAsync(version.ArtifactId, distinct, ct);
            version.Aliases = distinct;
        }
        version.Metadata = metadata ?? version.Metadata;
        version.Tags = tags is null ? version.Tags : [.. tags.Distinct()];
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>An alias names one version at a time: the version about to take these aliases takes them from the others.</summary>
    private async Task ReleaseAliasesAsync(Guid artifactId, IReadOnlyCollection<string> aliases, CancellationToken ct)
    {
        if (aliases.Count == 0)
        {
            return;
        }
        foreach (var version in await db.ArtifactVersions.Where(v => v.ArtifactId == artifactId).ToListAsync(ct))
        {
            version.Aliases = [.. version.Aliases.Except(aliases)];
        }
    }

    public Task DeleteVersionAsync(Guid versionId, CancellationToken ct) => db.ArtifactVersions.DeleteAsync(versionId, EntityKind.ArtifactVersion, ct);

    public async Task SetStateAsync(Guid versionId, ArtifactVersionState state, CancellationToken ct)
    {
        if (await db.ArtifactVersions.Where(v => v.Id == versionId).ExecuteUpdateAsync(s => s.SetProperty(v => v.State, state), ct) == 0)
        {
            throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));
        }
    }

    public async Task<ArtifactView> GetAsync(Guid? artifactId, string? name, CancellationToken ct)
    {
        var artifact = await FindArtifactAsync(artifactId, name, ct);
        return new ArtifactView(artifact, await VersionsAsync(artifact.Id, ct));
    }

    /// <summary>Artifacts of a type, or those an experiment produced a version of.</summary>
    public Task<List<Artifact>> ListAsync(string? type, Guid? producedBy, CancellationToken ct)
    {
        var rows = db.Artifacts.AsNoTracking();
        if (!string.IsNullOrEmpty(type))
        {
            rows = rows.Where(a => a.Type == type);
        }
        if (producedBy is { } experimentId)
        {
            rows = rows.Where(a => db.ArtifactVersions.Any(v => v.ArtifactId == a.Id && v.ExperimentId == experimentId));
        }
        return rows.OrderBy(a => a.Name).ToListAsync(ct);
    }

    public async Task<(Artifact Artifact, ArtifactVersion Version)> FindVersionAsync(ArtifactVersionSelector which, CancellationToken ct)
    {
        if (which.VersionId is { } versionId)
        {
            var byId = await db.ArtifactVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct)
                ?? throw DomainException.NotFound(EntityKind.ArtifactVersion, versionId.ToString("N"));
            return (await db.Artifacts.AsNoTracking().SingleAsync(a => a.Id == byId.ArtifactId, ct), byId);
        }
        var artifact = await FindArtifactAsync(which.ArtifactId, which.ArtifactName, ct);
        var versions = await VersionsAsync(artifact.Id, ct);
        var version = which.Version is { } text ? versions.SingleOrDefault(v => v.Version == SemanticVersion.Parse(text).ToString())
            : which.Alias is { } alias ? versions.SingleOrDefault(v => v.Aliases.Contains(alias))
            : versions.LastOrDefault();
        return (artifact, version ?? throw DomainException.NotFound(EntityKind.ArtifactVersion, which.Version ?? which.Alias ?? "latest"));
    }

    /// <summary>Bytes stored for a version: the sum of its uploaded files.</summary>
    public async Task<long> SizeAsync(Guid versionId, CancellationToken ct) =>
        await db.ExperimentAssets.Where(a => a.ArtifactVersionId == versionId).SumAsync(a => (long?)a.Size, ct) ?? 0;

    private async Task<Artifact> FindArtifactAsync(Guid? artifactId, string? name, CancellationToken ct)
    {
        if (artifactId is { } id)
        {
            return await db.Artifacts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainException.NotFound(EntityKind.Artifact, id.ToString("N"));
        }
        var wanted = Required(name, "artifactName or artifactId");
        return await db.Artifacts.AsNoTracking().SingleOrDefaultAsync(a => a.Name == wanted, ct) ?? throw DomainException.NotFound(EntityKind.Artifact, wanted);
    }

    /// <summary>Oldest to newest by semantic version; versions that are not semantic (ZenML's) come first, by creation.</summary>
    private async Task<List<ArtifactVersion>> VersionsAsync(Guid artifactId, CancellationToken ct) =>
        [.. (await db.ArtifactVersions.AsNoTracking().Where(v => v.ArtifactId == artifactId).ToListAsync(ct))
            .OrderBy(v => SemanticVersion.TryParse(v.Version, out var semantic) ? semantic : default).ThenBy(v => v.CreatedAt)];

    private static string Required(string? value, string what) =>
        value?.Trim() is { Length: > 0 } trimmed ? trimmed : throw new DomainException(DomainError.InvalidInput, EntityKind.Artifact, $"{what} is required");
}

/// <summary>major.minor.patch; "2" and "2.1" are read as 2.0.0 and 2.1.0.</summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch) : IComparable<SemanticVersion>
{
    public static SemanticVersion Parse(string text)
    {
        var parts = text.Trim().Split('.');
        var numbers = new int[3];
        if (parts.Length is 0 or > 3)
        {
            throw Invalid(text);
        }
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out numbers[i]))
            {
                throw Invalid(text);
            }
        }
        return new SemanticVersion(numbers[0], numbers[1], numbers[2]);
    }

    public static bool TryParse(string text, out SemanticVersion version)
    {
        try
        {
            version = Parse(text);
            return true;
        }
        catch (DomainException)
        {
            version = default;
            return false;
        }
    }

    public static string NextMajor(string? previous) =>
        previous is null ? "1.0.0" : new SemanticVersion(Parse(previous).Major + 1, 0, 0).ToString();

    public int CompareTo(SemanticVersion other) =>
        (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    private static DomainException Invalid(string text) =>
        new(DomainError.InvalidInput, EntityKind.ArtifactVersion, $"version must be a semantic version (major.minor.patch): {text}");
}
