using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

/// <summary>
/// A report request sent again (a client's or a proxy's retry after an answer it lost) is acknowledged and stores
/// nothing more: ClearML's add_batch, Comet's points and batches, comet_ml's gzip batches.
/// </summary>
public abstract class IdempotentIngestTests(IServerFixture fixture)
{
    private async Task<(ClearMlClient ClearMl, CometClient Comet, HttpClient Http, string ApiKey, string Task)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var task = await clearMl.CreateTaskAsync(await clearMl.CreateProjectAsync("retries"), "retried");
        (await clearMl.CallAsync("tasks.started", new { task })).Ok();
        return (clearMl, new CometClient(fixture.Factory.CreateClient(), keys.ApiKey), fixture.Factory.CreateClient(), keys.ApiKey, task);
    }

    private static async Task<int> PointsAsync(CometClient comet, string key, string metric) =>
        (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName={metric}")).Ok().GetProperty("metrics").GetArrayLength();

    [Fact]
    public async Task A_retried_add_batch_stores_its_points_once()
    {
        var (clearMl, comet, _, _, task) = await TenantAsync();
        var batch = Enumerable.Range(0, 50).Select(i => (object)new { type = "training_stats_scalar", task, iter = i, metric = "loss", variant = "train", value = 1.0 / (i + 1), timestamp = 1_790_000_000_000 + i }).ToList();

        (await clearMl.AddEventsAsync(batch)).Ok();
        (await clearMl.AddEventsAsync(batch)).Ok();
        (await clearMl.AddEventsAsync(batch.Take(10))).Ok(); // another request: stored

        Assert.Equal(60, await PointsAsync(comet, task, "loss"));
    }

    [Fact]
    public async Task Retried_comet_points_and_batches_are_stored_once_even_when_the_copies_arrive_together()
    {
        var (_, comet, _, _, task) = await TenantAsync();
        var point = new { experimentKey = task, metricName = "acc", metricValue = 0.5, step = 3, timestamp = 1_790_000_000_000 };
        var batch = new { experimentKey = task, metrics = Enumerable.Range(0, 20).Select(i => new { metricName = "f1", metricValue = i / 20.0, step = i }).ToArray() };

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => comet.PostAsync("write/experiment/metric", point))
            .Concat(Enumerable.Range(0, 4).Select(_ => comet.PostAsync("write/experiment/metrics/batch", batch))));

        Assert.All(answers, a => a.Ok());
        Assert.Equal(1, await PointsAsync(comet, task, "acc"));
        Assert.Equal(20, await PointsAsync(comet, task, "f1"));
    }

    [Fact]
    public async Task A_retried_gzip_batch_from_comet_ml_is_stored_once()
    {
        var (_, comet, http, apiKey, task) = await TenantAsync();
        var batch = new
        {
            experimentKey = task,
            values = Enumerable.Range(0, 30).Select(i => new { metricName = "loss", metricValue = 1.0 / (i + 1), step = i, epoch = 0, context = (string?)null, timestamp = 1_790_000_000_000 + i }).ToArray(),
        };

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/clientlib/batch/logger/experiment/metric") { Content = Gzip.Json(batch) };
            request.Headers.TryAddWithoutValidation("Authorization", apiKey);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        Assert.Equal(30, await PointsAsync(comet, task, "loss"));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class IdempotentIngestTestsOnPostgres(PostgresFixture fixture) : IdempotentIngestTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class IdempotentIngestTestsOnSqlite(SqliteFixture fixture) : IdempotentIngestTests(fixture);
