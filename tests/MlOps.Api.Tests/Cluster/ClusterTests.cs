using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Cluster;

/// <summary>Three replicas behind haproxy on one PostgreSQL and one bucket (<see cref="ClusterFixture"/>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_file_uploaded_through_one_replica_downloads_byte_equal_through_each_and_through_the_balancer()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var writer = await new ClearMlClient(new HttpClient { BaseAddress = fixture.Replicas[0].BaseAddress }).LoginAsync(keys.AccessKey, keys.SecretKey);
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = new MultipartFormDataContent { { part, "p/cluster/model.bin", "p/cluster/model.bin" } } };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writer.Token);
        Assert.Equal(HttpStatusCode.OK, (await writer.Http.SendAsync(upload)).StatusCode);

        foreach (var address in fixture.Replicas.Select(r => r.BaseAddress).Append(fixture.Balancer).Append(fixture.Balancer))
        {
            using var http = new HttpClient { BaseAddress = address };
            using var download = new HttpRequestMessage(HttpMethod.Get, "/files/p/cluster/model.bin");
            download.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writer.Token);
            using var answer = await http.SendAsync(download);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{address}: {(int)answer.StatusCode}");
            Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await answer.Content.ReadAsByteArrayAsync()));
        }
    }

    /// <summary>
    /// Eight writers send Comet points through the balancer while one replica is SIGKILLed: requests it was serving
    /// fail (and are not acknowledged) until haproxy takes it out; every point acknowledged is stored.
    /// </summary>
    [Fact]
    public async Task A_replica_killed_under_load_loses_nothing_acknowledged()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N")[..10];
        var apiKey = (await fixture.Factory.CreateTenantAsync(workspace)).ApiKey;
        var comet = new CometClient(fixture.Factory.CreateClient(), apiKey);
        var key = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName = "load" })).Ok().GetProperty("experimentKey").GetString();
        var acknowledged = new ConcurrentBag<int>();
        var refused = 0;
        var next = 0;
        using var stop = new CancellationTokenSource();
        var victim = fixture.Replicas[1];

        async Task WriteAsync()
        {
            using var http = new HttpClient { BaseAddress = fixture.Balancer, Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                var step = Interlocked.Increment(ref next);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rest/v2/write/experiment/metric")
                {
                    Content = JsonContent.Create(new { experimentKey = key, metricName = "load", metricValue = step * 0.5, step }),
                };
                request.Headers.TryAddWithoutValidation("Authorization", apiKey);
                try
                {
                    using var answer = await http.SendAsync(request);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(step);
                        continue;
                    }
                }
                catch (HttpRequestException)
                {
                }
                Interlocked.Increment(ref refused);
            }
        }

        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(WriteAsync)).ToList();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var beforeKill = acknowledged.Count;
            await victim.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(beforeKill > 50, $"only {beforeKill} points were acknowledged before the kill: no load");
            Assert.True(acknowledged.Count > beforeKill + 50, "the other replicas did not go on taking points after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await victim.StartAsync(); // the next test finds three replicas again
        }

        var stored = (await comet.GetAsync($"experiment/metrics/get-metric?experimentKey={key}&metricName=load")).Ok().GetProperty("metrics")
            .EnumerateArray().Select(p => p.GetProperty("step").GetInt32()).ToHashSet();
        var lost = acknowledged.Where(step => !stored.Contains(step)).Order().ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged points are missing (of {acknowledged.Count}; {refused} refused), e.g. {string.Join(", ", lost.Take(10))}");
    }
}

// Suites written for one server, run through the balancer: every request may land on another replica.

[Collection(ClusterCollection.Name)]
public sealed class SdkReplayTestsThroughBalancer(ClusterFixture fixture) : ClearMl.SdkReplayTests(fixture);

[Collection(ClusterCollection.Name)]
public sealed class CometSdkReplayTestsThroughBalancer(ClusterFixture fixture) : Comet.CometSdkReplayTests(fixture);

[Collection(ClusterCollection.Name)]
public sealed class IdempotentIngestTestsThroughBalancer(ClusterFixture fixture) : Platform.IdempotentIngestTests(fixture);

[Collection(ClusterCollection.Name)]
public sealed class S3BlobTestsThroughBalancer(ClusterFixture fixture) : Blobs.S3BlobTests(fixture);
