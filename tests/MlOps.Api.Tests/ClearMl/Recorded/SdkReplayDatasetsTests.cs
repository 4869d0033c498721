using System.IO.Compression;
using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl.Recorded;

/// <summary>
/// ClearML Datasets, recorded from the unmodified SDK 1.17 and its clearml-data CLI (tests/clearml-sdk/run.sh datasets
/// --record): two versions of a dataset (the second a child of the first, versioned by the SDK), publish, delete, move,
/// rename and squash; a fresh process finding them and downloading them; the CLI doing the same. A dataset is tasks,
/// hidden projects and files.
/// </summary>
public abstract class SdkReplayDatasetsTests(IServerFixture fixture) : RecordedSessionTests(fixture)
{
    [Fact]
    public async Task A_recorded_dataset_session_leaves_two_versions_with_their_lineage_and_files()
    {
        var (client, _) = await ReplayAsync("sdk-datasets-write.jsonl");

        var project = await ProjectAsync(client, "capture/data/.datasets/pets");
        Assert.NotNull(project);
        Assert.Equal(["dataset", "hidden"], project.Value.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString()).Order());
        var versions = await TasksAsync(client, "pets");
        Assert.Equal(2, versions.Count);
        var (v1, v2) = (versions[0], versions[1]);
        Assert.All(versions, v => Assert.Equal("data_processing", v.GetProperty("type").GetString()));
        Assert.All(versions, v => Assert.Contains("dataset", v.GetProperty("system_tags").EnumerateArray().Select(t => t.GetString())));
        Assert.Equal(("completed", "1.0.0", "raw"), (v1.GetProperty("status").GetString(), v1.GetProperty("runtime").GetProperty("version").GetString(), v1.GetProperty("tags")[0].GetString()));
        Assert.Equal(("published", "1.0.1", "clean"), (v2.GetProperty("status").GetString(), v2.GetProperty("runtime").GetProperty("version").GetString(), v2.GetProperty("tags")[0].GetString()));
        Assert.Equal(4, v2.GetProperty("runtime").GetProperty("ds_file_count").GetInt32());
        Assert.Equal("1.0.1", Param(v2, "properties", "version"));

        var v1Id = v1.GetProperty("id").GetString()!;
        var v2Id = v2.GetProperty("id").GetString()!;
        var (status, bytes) = await DownloadAsync(client, Artifact(v2, "state").GetProperty("uri").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        var state = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal(v2Id, state.GetProperty("id").GetString());
        Assert.Equal([v1Id], state.GetProperty("dependency_graph").GetProperty(v2Id).EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["images/b.bin", "labels.csv", "more/extra.txt", "readme.txt"],
            state.GetProperty("dataset_file_entries").EnumerateArray().Select(e => e.GetProperty("relative_path").GetString()).Order());

        (status, bytes) = await DownloadAsync(client, Artifact(v1, "data").GetProperty("uri").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.Equal([("images/a.bin", 3000L), ("images/b.bin", 5000L), ("labels.csv", 21L), ("readme.txt", 14L)],
            zip.Entries.Select(e => (e.FullName, e.Length)).OrderBy(e => e.FullName));
        (status, bytes) = await DownloadAsync(client, Artifact(v1, "stats").GetProperty("uri").GetString()!);
        Assert.Equal(2, JsonDocument.Parse(bytes).RootElement.GetProperty("rows").GetInt32());

        Assert.Empty(await TasksAsync(client, "doomed"));
        var mover = await TaskAsync(client, "mover");
        Assert.Equal((await ProjectAsync(client, "capture/archive/.datasets/mover"))!.Value.GetProperty("id").GetString(), mover.GetProperty("project").GetString());
        Assert.Null(await ProjectAsync(client, "capture/data/.datasets/renamer"));
        Assert.Equal((await ProjectAsync(client, "capture/data/.datasets/renamed"))!.Value.GetProperty("id").GetString(),
            (await TaskAsync(client, "renamer")).GetProperty("project").GetString());

        // Dataset.squash: a new dataset holding both versions' files, v2's where they differ, versioned on its own.
        var squashed = await TaskAsync(client, "pets-squashed");
        Assert.Equal(("completed", "1.0.0"), (squashed.GetProperty("status").GetString(), squashed.GetProperty("runtime").GetProperty("version").GetString()));
        Assert.Equal(5, squashed.GetProperty("runtime").GetProperty("ds_file_count").GetInt32());
    }

    [Fact]
    public async Task A_recorded_dataset_reader_finds_the_versions_and_downloads_them_byte_for_byte()
    {
        var (client, session) = await ReplayAsync("sdk-datasets-write.jsonl", "sdk-datasets-read.jsonl");

        Assert.True(session.Downloads >= 6, $"{session.Downloads} downloads checked");
        var consumer = await TaskAsync(client, "consumer");
        var v2 = (await TasksAsync(client, "pets"))[1];
        Assert.Equal(v2.GetProperty("id").GetString(), Param(consumer, "Datasets", "train data"));
    }

    [Fact]
    public async Task A_recorded_clearml_data_cli_session_leaves_its_versions_and_deletes_its_scratch_dataset()
    {
        var (client, session) = await ReplayAsync("sdk-datasets-cli.jsonl");

        var versions = await TasksAsync(client, "tables");
        Assert.Equal([("completed", "1.0.0"), ("published", "1.0.1")],
            versions.Select(v => (v.GetProperty("status").GetString(), v.GetProperty("runtime").GetProperty("version").GetString())));
        Assert.Equal("first", versions[0].GetProperty("tags")[0].GetString());
        var (status, bytes) = await DownloadAsync(client, Artifact(versions[1], "state").GetProperty("uri").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = JsonDocument.Parse(bytes).RootElement.GetProperty("dataset_file_entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("relative_path").GetString()!, e => e.GetProperty("size").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["new.txt"] = 15, ["r.bin"] = 5120 }, entries);
        Assert.Empty(await TasksAsync(client, "scratch"));
        Assert.True(session.Downloads >= 2, $"{session.Downloads} downloads checked");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class SdkReplayDatasetsTestsOnPostgres(PostgresFixture fixture) : SdkReplayDatasetsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class SdkReplayDatasetsTestsOnSqlite(SqliteFixture fixture) : SdkReplayDatasetsTests(fixture);
