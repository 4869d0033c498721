using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Data.Entities;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>
/// Comet's git metadata and patch, which are ClearML's <c>script</c>: origin = repository, parent = version_num,
/// root = working_dir, and the patch text = diff. comet_ml uploads the patch as a zip holding <c>git_diff.patch</c>;
/// those bytes are kept as they came (an asset of type <c>git-patch</c>) and served back unchanged while the diff
/// they hold is still ClearML's diff.
/// </summary>
public static class CometGit
{
    public const string PatchAssetType = "git-patch";

    private const string PatchFileName = "git-patch";

    /// <summary>The one file in comet_ml's patch zip.</summary>
    private const string PatchEntryName = "git_diff.patch";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/write/experiment/git/metadata", SetMetadata).Documents<GitRequest>();
        api.MapGet("/experiment/git/metadata", GetMetadata);
        api.MapPost("/write/experiment/git/patch", SetPatch);
        api.MapGet("/experiment/git/patch", GetPatch);
    }

    public sealed record GitMetadata(string? User, string? Root, string? Branch, string? Parent, string? Origin);

    public sealed record GitRequest(string? ExperimentKey, string? User, string? Root, string? Branch, string? Parent, string? Origin);

    public sealed record MessageResponse(string Msg);

    public static async Task<MessageResponse> SetMetadata(HttpContext http, ExperimentRepository experiments, CancellationToken ct)
    {
        var request = await CometApi.ReadAsync<GitRequest>(http);
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(request.ExperimentKey), ct);
        var script = JsonText.ObjectOrEmpty(experiment.Script);
        script["repository"] = request.Origin;
        script["branch"] = request.Branch;
        script["version_num"] = request.Parent;
        script["working_dir"] = request.Root;
        script["git_user"] = request.User;
        await SaveScriptAsync(http, experiments, experiment.Id, script, ct);
        return new MessageResponse("Saved");
    }

    public static async Task<GitMetadata> GetMetadata(string? experimentKey, ExperimentRepository experiments, CancellationToken ct)
    {
        var script = JsonText.ObjectOrEmpty((await experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct)).Script);
        return new GitMetadata(Field(script, "git_user"), Field(script, "working_dir"), Field(script, "branch"), Field(script, "version_num"), Field(script, "repository"));
    }

    /// <summary>The multipart <c>file</c> part: kept byte for byte, and its patch text becomes ClearML's diff.</summary>
    public static async Task<MessageResponse> SetPatch(
        HttpContext http, string? experimentKey, ExperimentRepository experiments, AssetRepository assets, IOptions<MlOpsOptions> options, CancellationToken ct)
    {
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct);
        var file = await CometApi.ReadUploadAsync(http, options.Value.Blobs.MaxBytes, ct);
        using var bytes = new MemoryStream();
        await using (var content = file.OpenReadStream())
        {
            await content.CopyToAsync(bytes, ct);
        }
        var script = JsonText.ObjectOrEmpty(experiment.Script);
        script["diff"] = PatchText(bytes.ToArray());
        bytes.Position = 0;
        await assets.UploadAsync(
            experiment.Id, new AssetUpload(PatchFileName, PatchAssetType, null, null, null, "application/octet-stream"),
            bytes, overwrite: true, options.Value.Blobs.MaxBytes, ct);
        await SaveScriptAsync(http, experiments, experiment.Id, script, ct);
        return new MessageResponse("Saved");
    }

    /// <summary>
    /// The uploaded bytes while they still hold ClearML's diff; a diff written (or changed) by ClearML as the zip
    /// comet_ml reads; no diff at all as Comet's JSON "no patch" message.
    /// </summary>
    public static async Task<IResult> GetPatch(string? experimentKey, ExperimentRepository experiments, AssetRepository assets, CancellationToken ct)
    {
        var experiment = await experiments.GetAsync(CometApi.ExperimentKey(experimentKey), ct);
        var diff = Field(JsonText.ObjectOrEmpty(experiment.Script), "diff");
        if (string.IsNullOrEmpty(diff))
        {
            return CometApi.Json(new { msg = "no patch for experiment", code = 200, data = (object?)null, sdk_error_code = 0 }, 200);
        }
        if ((await assets.ListAsync(experiment.Id, PatchAssetType, ct)).LastOrDefault() is { } uploaded
            && await assets.OpenAsync(uploaded, ct) is { } opened)
        {
            using var bytes = new MemoryStream();
            await using (opened.Content)
            {
                await opened.Content.CopyToAsync(bytes, ct);
            }
            if (PatchText(bytes.ToArray()) == diff)
            {
                return Results.Bytes(bytes.ToArray(), "application/octet-stream");
            }
        }
        return Results.Bytes(Zip(diff), "application/octet-stream");
    }

    /// <summary>The patch text of an upload: the entry of comet_ml's zip, or the bytes themselves when they are no zip.</summary>
    private static string PatchText(byte[] upload)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(upload), ZipArchiveMode.Read);
            var entry = archive.GetEntry(PatchEntryName) ?? archive.Entries.FirstOrDefault();
            if (entry is not null)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                return reader.ReadToEnd();
            }
        }
        catch (InvalidDataException)
        {
            // Not a zip: a plain patch.
        }
        return Encoding.UTF8.GetString(upload);
    }

    private static byte[] Zip(string diff)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(PatchEntryName, CompressionLevel.Optimal).Open();
            entry.Write(Encoding.UTF8.GetBytes(diff));
        }
        return zip.ToArray();
    }

    private static string? Field(JsonObject script, string name) =>
        script[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Task<Experiment> SaveScriptAsync(HttpContext http, ExperimentRepository experiments, Guid id, JsonObject script, CancellationToken ct) =>
        experiments.UpdateAsync(id, new ExperimentChanges { Script = script.ToJsonString() }, http.Caller().Identity.UserId, ct);
}
