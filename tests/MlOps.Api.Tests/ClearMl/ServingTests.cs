using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ClearMl;

/// <summary>clearml-serving containers reporting, and the web UI's Model Endpoints pages reading what they reported.</summary>
public abstract class ServingTests(IServerFixture fixture)
{
    private const string Url = "http://serving:8080/serve/mnist";

    private async Task<ClearMlClient> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
    }

    private static object Report(string container, long requests, object? machineStats = null) => new
    {
        container_id = container,
        endpoint_name = "mnist",
        endpoint_url = Url,
        model_name = "mnist-cnn",
        model_source = "clearml",
        model_version = "3",
        input_type = "image",
        input_size = "28x28",
        reference = new[] { new { type = "model", value = "m-1" }, new { type = "task", value = "t-1" } },
        uptime_sec = 120,
        requests_num = requests,
        requests_min = requests / 2.0,
        latency_ms = requests,
        machine_stats = machineStats,
    };

    private static async Task<JsonElement> HistoryAsync(ClearMlClient client, string metric)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return (await client.CallAsync("serving.get_endpoint_metrics_history", new
        {
            endpoint_url = Url, from_date = now - 3600, to_date = now + 120, interval = 60, metric_type = metric,
        })).Ok();
    }

    [Fact]
    public async Task Containers_register_load_report_and_show_as_one_endpoint_with_their_instances()
    {
        var client = await TenantAsync();

        (await client.CallAsync("serving.register_container", new { container_id = "c-1", endpoint_name = "mnist", model_name = "mnist-cnn", timeout = 600 })).Ok();
        var loading = (await client.CallAsync("serving.get_loading_instances", new { }, "999.0")).Ok().GetProperty("instances");
        Assert.Equal(["c-1"], loading.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Empty((await client.CallAsync("serving.get_endpoints")).Ok().GetProperty("endpoints").EnumerateArray());

        (await client.CallAsync("serving.container_status_report", Report("c-1", 10, new { cpu_usage = new[] { 50.0, 70.0 }, gpu_usage = new[] { 90.0 }, memory_used = 2048 }))).Ok();
        (await client.CallAsync("serving.container_status_report", Report("c-2", 20))).Ok();

        Assert.Empty((await client.CallAsync("serving.get_loading_instances")).Ok().GetProperty("instances").EnumerateArray());
        var endpoint = Assert.Single((await client.CallAsync("serving.get_endpoints")).Ok().GetProperty("endpoints").EnumerateArray());
        Assert.Equal(Url, endpoint.GetProperty("url").GetString());
        Assert.Equal(2, endpoint.GetProperty("instances").GetInt32());
        Assert.Equal(30, endpoint.GetProperty("requests").GetInt64());
        Assert.Equal(7.5, endpoint.GetProperty("requests_min").GetDouble());
        Assert.Equal(15, endpoint.GetProperty("latency_ms").GetInt64());
        var details = (await client.CallAsync("serving.get_endpoint_details", new { endpoint_url = Url })).Ok();
        Assert.Equal("28x28", details.GetProperty("input_size").GetString());
        var first = details.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "c-1");
        Assert.Equal(2, first.GetProperty("cpu_count").GetInt32());
        Assert.Equal(1, first.GetProperty("gpu_count").GetInt32());
        Assert.Equal("model", first.GetProperty("reference")[0].GetProperty("type").GetString());

        (await client.CallAsync("serving.unregister_container", new { container_id = "c-2" })).Ok();
        (await client.CallAsync("serving.unregister_container", new { container_id = "c-2" })).Ok();
        Assert.Single((await client.CallAsync("serving.get_endpoint_details", new { endpoint_url = Url })).Ok().GetProperty("instances").EnumerateArray());
        (await client.CallAsync("serving.get_endpoint_details", new { endpoint_url = "http://nowhere" })).AssertError(400, 1052);
    }

    [Fact]
    public async Task Metrics_history_charts_each_figure_per_interval_in_total_and_per_instance()
    {
        var client = await TenantAsync();
        (await client.CallAsync("serving.container_status_report", Report("c-1", 10, new { cpu_usage = new[] { 50.0, 70.0 }, memory_used = 2048 }))).Ok();
        (await client.CallAsync("serving.container_status_report", Report("c-2", 20))).Ok();

        var requests = await HistoryAsync(client, "requests");
        var cpu = await HistoryAsync(client, "cpu_util");
        var ram = await HistoryAsync(client, "ram_used");

        Assert.Equal(60, requests.GetProperty("computed_interval").GetInt32());
        Assert.Equal("Number of Requests", requests.GetProperty("total").GetProperty("title").GetString());
        Assert.Equal(30, requests.GetProperty("total").GetProperty("values").EnumerateArray().Sum(v => v.GetDouble()));
        Assert.Equal(["c-1", "c-2"], requests.GetProperty("instances").EnumerateObject().Select(i => i.Name));
        var dates = cpu.GetProperty("total").GetProperty("dates").EnumerateArray().Select(d => d.GetInt64()).ToList();
        Assert.InRange(dates.Count, 55, 63);
        Assert.All(dates, d => Assert.Equal(0, d % 60_000));
        Assert.Equal(60, cpu.GetProperty("total").GetProperty("values").EnumerateArray().Max(v => v.GetDouble()));
        Assert.Equal(["c-1"], cpu.GetProperty("instances").EnumerateObject().Select(i => i.Name));
        Assert.Equal(2.0, ram.GetProperty("total").GetProperty("values").EnumerateArray().Max(v => v.GetDouble()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (await client.CallAsync("serving.get_endpoint_metrics_history", new { endpoint_url = Url, from_date = now, to_date = now - 10, interval = 60 })).AssertError(400, 16);
        (await client.CallAsync("serving.get_endpoint_metrics_history", new { endpoint_url = Url, from_date = now - 10, to_date = now, interval = 60, metric_type = "bogus" }))
            .AssertError(400, 12);
    }

    [Fact]
    public async Task Reports_without_an_endpoint_url_or_with_bad_references_are_refused()
    {
        var client = await TenantAsync();

        (await client.CallAsync("serving.container_status_report", new { container_id = "c", endpoint_name = "e", model_name = "m" })).AssertError(400, 12);
        (await client.CallAsync("serving.register_container", new { container_id = "c", endpoint_name = "e" })).AssertError(400, 12);
        (await client.CallAsync("serving.register_container", new { container_id = "c", endpoint_name = "e", model_name = "m", reference = new[] { new { type = "disk", value = "x" } } }))
            .AssertError(400, 12);
        (await client.CallAsync("serving.container_status_report", Report("c", 1, new { cpu_usage = new[] { "busy" } }))).AssertError(400, 12);
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_containers_and_cannot_unregister_them()
    {
        var owner = await TenantAsync();
        var intruder = await TenantAsync();
        (await owner.CallAsync("serving.container_status_report", Report("c-1", 10))).Ok();

        (await intruder.CallAsync("serving.unregister_container", new { container_id = "c-1" })).Ok();
        Assert.Empty((await intruder.CallAsync("serving.get_endpoints")).Ok().GetProperty("endpoints").EnumerateArray());
        (await intruder.CallAsync("serving.get_endpoint_details", new { endpoint_url = Url })).AssertError(400, 1052);
        Assert.Empty((await HistoryAsync(intruder, "requests")).GetProperty("total").GetProperty("dates").EnumerateArray());

        Assert.Single((await owner.CallAsync("serving.get_endpoint_details", new { endpoint_url = Url })).Ok().GetProperty("instances").EnumerateArray());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ServingTestsOnPostgres(PostgresFixture fixture) : ServingTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ServingTestsOnSqlite(SqliteFixture fixture) : ServingTests(fixture);
