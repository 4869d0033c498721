using System.IO.Compression;
using MlOps.Data.Repositories;

namespace MlOps.Api.Comet;

/// <summary>Several stored files answered as one zip download (model and artifact downloads).</summary>
public static class CometArchive
{
    /// <summary>
    /// The zip is built in a temporary file that is deleted when the response is done with it: ZipArchive writes
    /// synchronously, which the response stream does not allow, and sizes are unknown until the end.
    /// </summary>
    public static async Task<IResult> ZipAsync(IReadOnlyList<NamedFile> files, string downloadName, AssetRepository assets, CancellationToken ct)
    {
        if (files.Count == 0)
        {
            throw new CometException(404, "No stored files to download");
        }
        var zip = new FileStream(
            Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var name in UniqueNames(files))
                {
                    await using var entry = archive.CreateEntry(name.Name, CompressionLevel.Fastest).Open();
                    await using var content = await assets.OpenAsync(name.File, ct);
                    await content.CopyToAsync(entry, ct);
                }
            }
            zip.Position = 0;
            return Results.Stream(zip, "application/octet-stream", downloadName);
        }
        catch
        {
            await zip.DisposeAsync();
            throw;
        }
    }

    /// <summary>Two files of the same name (a model file and its URI copy, say) both go in, the later one numbered.</summary>
    private static IEnumerable<NamedFile> UniqueNames(IReadOnlyList<NamedFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = file.Name;
            for (var n = 1; !seen.Add(name); n++)
            {
                name = $"{Path.GetFileNameWithoutExtension(file.Name)} ({n}){Path.GetExtension(file.Name)}";
            }
            yield return file with { Name = name };
        }
    }
}
