using System.Net;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>comet_ml's clientlib protocol, call by call as the SDK makes them (the whole run is replayed in <see cref="CometSdkReplayTests"/>).</summary>
public abstract class CometClientlibTests(IServerFixture fixture)
{
    private sealed record Lib(HttpClient Http, string ApiKey, CometClient Comet, ClearMlClient ClearMl, string Workspace);

    private async Task<Lib> TenantAsync()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var keys = await fixture.Factory.CreateTenantAsync(workspace);
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return new Lib(fixture.Factory.CreateClient(), keys.ApiKey, new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), clearMl, workspace);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Lib lib, string path, object body, bool gzip = false, bool header = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/clientlib/" + path) { Content = Gzip.Json(body, gzip) };
        if (header)
        {
            request.Headers.TryAddWithoutValidation("Authorization", lib.ApiKey);
        }
        using var response = await lib.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<string> RunAsync(Lib lib, string project = "lib-project")
    {
        var key = Guid.NewGuid().ToString("N");
        var (status, body) = await PostAsync(lib, "logger/add/run", new { apiKey = lib.ApiKey, experimentKey = key, projectName = project, offline = false, libVersion = "3.54.0" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return key;
    }

    private static void AssertSdkError((HttpStatusCode Status, JsonElement Body) answer, int sdkErrorCode)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{(int)answer.Status}: {answer.Body}");
        Assert.Equal(sdkErrorCode, answer.Body.GetProperty("sdk_error_code").GetInt32());
    }

    [Fact]
    public async Task The_handshake_creates_the_experiment_under_the_sdks_key_running_in_its_project()
    {
        var lib = await TenantAsync();
        var key = Guid.NewGuid().ToString("N");

        var (status, run) = await PostAsync(lib, "logger/add/run", new { apiKey = lib.ApiKey, experimentKey = key, projectName = "new-lib-project", teamName = lib.Workspace });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(run.GetProperty("runId").GetString()));
        Assert.Contains(run.GetProperty("featureToggles").EnumerateArray(), t => t.GetProperty("name").GetString() == "sdk_use_http_messages" && t.GetProperty("enabled").GetBoolean());
        Assert.EndsWith("/", run.GetProperty("focusUrl").GetString());
        var metadata = (await lib.Comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok();
        Assert.True(metadata.GetProperty("running").GetBoolean());
        Assert.Equal("new-lib-project", metadata.GetProperty("projectName").GetString());
        Assert.Equal(run.GetProperty("project_id").GetString(), metadata.GetProperty("projectId").GetString());
        Assert.Equal(run.GetProperty("name").GetString(), metadata.GetProperty("experimentName").GetString());
        var task = (await lib.ClearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task");
        Assert.Equal("in_progress", task.GetProperty("status").GetString());

        AssertSdkError(await PostAsync(lib, "logger/add/run", new { experimentKey = key, projectName = "new-lib-project" }), 90999);
        var again = await PostAsync(lib, "logger/add/run", new { experimentKey = key, projectName = "new-lib-project", getOrCreateEnabled = true });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(run.GetProperty("project_id").GetString(), again.Body.GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task Refusals_carry_the_sdk_error_codes_comet_ml_acts_on()
    {
        var lib = await TenantAsync();
        var other = await TenantAsync();
        var foreign = await RunAsync(other);

        AssertSdkError(await PostAsync(lib with { ApiKey = "not-a-registered-key" }, "logger/add/run", new { experimentKey = Guid.NewGuid().ToString("N") }), 90212);
        AssertSdkError(await PostAsync(lib, "logger/add/run", new { experimentKey = Guid.NewGuid().ToString("N"), teamName = other.Workspace }), 90219);
        AssertSdkError(await PostAsync(lib, "logger/add/run", new { experimentKey = foreign, getOrCreateEnabled = true }), 90999);
        AssertSdkError(await PostAsync(lib, "logger/get/run", new { previousExperiment = foreign }), 90210);
        AssertSdkError(await PostAsync(lib, "logger/get/run", new { previousExperiment = Guid.NewGuid().ToString("N") }), 90210);
        Assert.Equal("in_progress", (await other.ClearMl.CallAsync("tasks.get_by_id", new { task = foreign })).Ok().GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_api_key_in_the_body_or_query_stands_for_the_header()
    {
        var lib = await TenantAsync();
        var key = Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(lib, "logger/add/run", new { apiKey = lib.ApiKey, experimentKey = key }, header: false)).Status);
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/clientlib/asset/upload?experimentId={key}&apiKey={lib.ApiKey}&fileName=a.txt")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent("abc"u8.ToArray()), "file", "file" } },
        };
        Assert.Equal(HttpStatusCode.OK, (await lib.Http.SendAsync(upload)).StatusCode);
        Assert.Equal("general", (await lib.Comet.GetAsync($"experiment/metadata?experimentKey={key}")).Ok().GetProperty("projectName").GetString());
    }

    [Fact]
    public async Task Gzip_batches_store_metrics_named_with_their_context_and_the_latest_parameter_values()
    {
        var lib = await TenantAsync();
        var key = await RunAsync(lib);

        var metrics = await PostAsync(lib, "batch/logger/experiment/metric", new
        {
            experimentKey = key,
            values = new object[]
            {
                new { metricName = "loss", metricValue = 0.5, step = 1, epoch = 0, context = (string?)null, timestamp = 1790000000000 },
                new { metricName = "loss", metricValue = "0.25", step = 2, epoch = 0, context = (string?)null, timestamp = 1790000001000 },
                new { metricName = "loss", metricValue = 0.75, step = 2, epoch = 0, context = "train", timestamp = 1790000001000 },
            },
        }, gzip: true);
        var parameters = await PostAsync(lib, "batch/logger/experiment/parameter", new
        {
            experimentKey = key,
            values = new object[]
            {
                new { parameterName = "lr", parameterValue = 0.1, step = (int?)null, source = "manual", context = (string?)null, timestamp = 1790000000000 },
                new { parameterName = "curr_step", parameterValue = 1, step = 1, source = "auto-logged", context = (string?)null, timestamp = 1790000000000 },
                new { parameterName = "curr_step", parameterValue = 2, step = 2, source = "auto-logged", context = (string?)null, timestamp = 1790000001000 },
            },
        }, gzip: true);

        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Equal(HttpStatusCode.OK, parameters.Status);
        var loss = (await lib.Comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=loss")).Ok().GetProperty("metrics");
        Assert.Equal([0.5, 0.25], loss.EnumerateArray().Select(p => double.Parse(p.GetProperty("metricValue").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        var train = (await lib.Comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=train_loss")).Ok().GetProperty("metrics");
        Assert.Equal("train", Assert.Single(train.EnumerateArray()).GetProperty("runContext").GetString());
        var values = (await lib.Comet.GetAsync($"experiment/parameters?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("valueCurrent").GetString());
        Assert.Equal("0.1", values["lr"]);
        Assert.Equal("2", values["curr_step"]);
    }

    [Fact]
    public async Task A_batch_with_a_bad_value_stores_nothing()
    {
        var lib = await TenantAsync();
        var key = await RunAsync(lib);

        var answer = await PostAsync(lib, "batch/logger/experiment/metric", new
        {
            experimentKey = key,
            values = new object[]
            {
                new { metricName = "loss", metricValue = 0.5, step = 1 },
                new { metricName = "loss", metricValue = "not a number", step = 2 },
            },
        }, gzip: true);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Empty((await lib.Comet.GetAsync($"experiment/metrics/summary?experimentKey={key}")).Ok().GetProperty("values").EnumerateArray());
    }

    [Fact]
    public async Task Heartbeats_keep_the_run_alive_the_last_one_completes_it_and_they_announce_pending_remote_calls()
    {
        var lib = await TenantAsync();
        var key = await RunAsync(lib);
        var beat = new { runId = "r", experimentKey = key, is_alive = true, offline = false };

        var first = await PostAsync(lib, "status-report/update", beat);
        var call = (await lib.Comet.PostAsync("write/experiment/rpc/send", new { experimentKey = key, functionName = "stop_early", arguments = new[] { new { name = "patience", value = 3 } } }))
            .Ok().GetProperty("callId").GetString();
        var second = await PostAsync(lib, "status-report/update", beat);
        using var pendingRequest = new HttpRequestMessage(HttpMethod.Get, $"/clientlib/rpc/get-pending-rpcs?experimentKey={key}&apiKey={lib.ApiKey}");
        var pending = JsonDocument.Parse(await (await lib.Http.SendAsync(pendingRequest)).Content.ReadAsStringAsync()).RootElement;
        await PostAsync(lib, "rpc/save-rpc-result", new { experimentKey = key, callId = call, result = "stopped", errorMessage = "", errorStackTrace = "", startTimeMs = 1, endTimeMs = 2 });
        var third = await PostAsync(lib, "status-report/update", beat);
        var last = await PostAsync(lib, "status-report/update", beat with { is_alive = false });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(first.Body.GetProperty("is_alive_beat_duration_millis").GetInt32() > 0);
        Assert.True(first.Body.GetProperty("gpu_monitor_interval_millis").GetInt32() > 0);
        Assert.False(first.Body.GetProperty("pending_rpcs").GetBoolean());
        Assert.True(second.Body.GetProperty("pending_rpcs").GetBoolean());
        var pendingCall = Assert.Single(pending.GetProperty("remoteProcedureCalls").EnumerateArray());
        Assert.Equal(call, pendingCall.GetProperty("callId").GetString());
        Assert.Equal("alice", pendingCall.GetProperty("userName").GetString());
        Assert.Equal(3, pendingCall.GetProperty("arguments")[0].GetProperty("value").GetInt32());
        Assert.False(third.Body.GetProperty("pending_rpcs").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Equal("completed", (await lib.ClearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(lib, "logger/get/run", new { previousExperiment = key })).Status);
        Assert.Equal("in_progress", (await lib.ClearMl.CallAsync("tasks.get_by_id", new { task = key })).Ok().GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Copying_steps_starts_a_new_run_with_the_parameters_and_the_points_up_to_the_step()
    {
        var lib = await TenantAsync();
        var source = await RunAsync(lib);
        await PostAsync(lib, "batch/logger/experiment/metric", new
        {
            experimentKey = source,
            values = Enumerable.Range(0, 6).Select(step => new { metricName = "loss", metricValue = step / 10.0, step }).ToArray(),
        });
        await PostAsync(lib, "batch/logger/experiment/parameter", new { experimentKey = source, values = new[] { new { parameterName = "lr", parameterValue = 0.3 } } });
        var copy = Guid.NewGuid().ToString("N");

        var answer = await PostAsync(lib, "logger/copy-steps-from-experiment", new { copiedExperimentKey = source, newExperimentKey = copy, stepToCopyTo = 3 });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var loss = (await lib.Comet.GetAsync($"experiment/metrics/get-metric?experimentKey={copy}&metricName=loss")).Ok().GetProperty("metrics");
        Assert.Equal([0L, 1L, 2L, 3L], loss.EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal("0.3", (await lib.Comet.GetAsync($"experiment/parameters?experimentKey={copy}")).Ok().GetProperty("values")[0].GetProperty("valueCurrent").GetString());
        Assert.True((await lib.Comet.GetAsync($"experiment/metadata?experimentKey={copy}")).Ok().GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task An_upload_sent_again_with_its_asset_id_replaces_the_first()
    {
        var lib = await TenantAsync();
        var key = await RunAsync(lib);
        var assetId = Guid.NewGuid().ToString("N");

        async Task<HttpStatusCode> UploadAsync(string content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/clientlib/asset/upload?experimentId={key}&assetId={assetId}&fileName=notes.txt&overwrite=False")
            {
                Content = new MultipartFormDataContent
                {
                    { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", "file" },
                    { new StringContent("""{"kind": "notes"}"""), "metadata" },
                },
            };
            request.Headers.TryAddWithoutValidation("Authorization", lib.ApiKey);
            return (await lib.Http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await UploadAsync("first"));
        Assert.Equal(HttpStatusCode.OK, await UploadAsync("second"));

        var asset = Assert.Single((await lib.Comet.GetAsync($"experiment/asset/list?experimentKey={key}")).Ok().GetProperty("assets").EnumerateArray());
        Assert.Equal(assetId, asset.GetProperty("assetId").GetString());
        Assert.Equal("""{"kind": "notes"}""", asset.GetProperty("metadata").GetString());
        Assert.Equal("second", Encoding.UTF8.GetString(await lib.Comet.DownloadAsync($"experiment/asset/get-asset?experimentKey={key}&assetId={assetId}")));
    }

    [Fact]
    public async Task Clientlib_rest_paths_are_the_rest_api()
    {
        var lib = await TenantAsync();
        var key = await RunAsync(lib);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/clientlib/rest/v2/write/experiment/output")
        {
            Content = Gzip.Json(new
            {
                experimentKey = key, runContext = (string?)null, outputLines = new[] { new { stderr = false, output = "epoch 1 done\n", localTimestamp = 1790000000000, offset = 0 } },
            }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", lib.ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await lib.Http.SendAsync(request)).StatusCode);
        Assert.Contains("epoch 1 done", (await lib.Comet.GetAsync($"experiment/output?experimentKey={key}")).Ok().GetProperty("output").GetString());
    }

    [Fact]
    public async Task The_version_answers_anyone_with_a_version_the_sdk_parses()
    {
        var lib = await TenantAsync();
        var version = JsonDocument.Parse(await lib.Http.GetStringAsync("/clientlib/isAlive/ver")).RootElement.GetProperty("version").GetString()!;
        Assert.Matches(@"^3\.\d+\.\d+$", version);
        Assert.Equal(HttpStatusCode.OK, (await lib.Http.GetAsync("/clientlib/health/ping")).StatusCode);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometClientlibTestsOnPostgres(PostgresFixture fixture) : CometClientlibTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometClientlibTestsOnSqlite(SqliteFixture fixture) : CometClientlibTests(fixture);
