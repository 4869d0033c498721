using System.Net;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Comet;

/// <summary>Every endpoint the Comet seed files list is served: answered by the Comet surface, never unrouted.</summary>
public abstract class CometSeedCoverageTests(IServerFixture fixture)
{
    /// <summary>Every (method, path) pair of the seed files comet-rest-v2-read-endpoints.txt and comet-rest-v2-write-endpoints.txt.</summary>
    public static TheoryData<string, string> SeedEndpoints() => new()
    {
        { "GET", "experiment/code" },
        { "GET", "experiment/html" },
        { "GET", "artifacts/version/download" },
        { "GET", "experiment/model/download" },
        { "GET", "registry-model/item/download" },
        { "GET", "account-details" },
        { "GET", "experiments" },
        { "GET", "projects" },
        { "GET", "experiment/output" },
        { "GET", "workspaces" },
        { "GET", "artifacts/get" },
        { "GET", "artifacts/version/files" },
        { "GET", "artifacts/get-all" },
        { "GET", "experiment/asset/get-asset" },
        { "GET", "experiment/asset/list" },
        { "GET", "experiment/metadata" },
        { "GET", "experiment/git/patch" },
        { "GET", "experiment/graph" },
        { "GET", "viz-instance/store/get" },
        { "GET", "experiment/log-other" },
        { "GET", "experiment/metrics/summary" },
        { "GET", "experiment/model" },
        { "GET", "experiment/model/asset/list" },
        { "POST", "project/query" },
        { "POST", "experiments/multi-metric-chart" },
        { "GET", "experiment/parameters" },
        { "GET", "project/column-names" },
        { "GET", "project/notes" },
        { "GET", "experiment/metrics/get-metric" },
        { "GET", "registry-model/count" },
        { "GET", "registry-model/details" },
        { "GET", "registry-model/notes" },
        { "GET", "registry-model" },
        { "GET", "experiment/git/metadata" },
        { "GET", "project" },
        { "GET", "experiment/system-details" },
        { "GET", "experiment/tags" },
        { "POST", "write/workspace/new" },
        { "POST", "write/experiment/create" },
        { "GET", "write/experiment/stop" },
        { "GET", "write/experiment/archive" },
        { "POST", "write/experiment/move" },
        { "GET", "write/project/symlink" },
        { "GET", "write/experiment/delete" },
        { "GET", "write/experiment/restore" },
        { "POST", "write/project/create" },
        { "POST", "write/project/delete" },
        { "POST", "write/project/update" },
        { "POST", "write/project/notes" },
        { "GET", "write/project/add-share-link" },
        { "GET", "write/project/delete-project-share-link" },
        { "POST", "write/registry-model" },
        { "POST", "write/registry-model/item" },
        { "POST", "write/registry-model/item/update" },
        { "GET", "write/registry-model/item/delete" },
        { "POST", "write/registry-model/update" },
        { "POST", "write/registry-model/notes" },
        { "GET", "write/registry-model/delete" },
        { "GET", "write/registry-model/item/stage" },
        { "GET", "write/registry-model/item/stage/delete" },
        { "GET", "write/experiment/set-status" },
        { "POST", "write/experiment/set-start-end-time" },
        { "POST", "write/experiment/log-other" },
        { "POST", "write/experiment/parameter" },
        { "POST", "write/experiment/metric" },
        { "POST", "write/experiment/html" },
        { "POST", "write/experiment/upload-asset" },
        { "POST", "write/experiment/upload-text-sample" },
        { "POST", "write/experiment/git/patch" },
        { "POST", "write/experiment/system-details" },
        { "POST", "write/experiment/git/metadata" },
        { "POST", "write/experiment/output" },
        { "POST", "write/experiment/graph" },
        { "POST", "write/experiment/code" },
        { "POST", "write/experiment/tags" },
        { "POST", "write/experiment/cloud-details" },
        { "POST", "write/experiment/file-path" },
        { "POST", "write/experiment/gpu-metrics" },
        { "POST", "write/experiment/ram-metrics" },
        { "POST", "write/experiment/cpu-metrics" },
        { "POST", "write/experiment/load-metrics" },
        { "POST", "write/artifacts/upsert" },
        { "POST", "write/artifacts/state" },
        { "POST", "write/viz-instance/store/save" },
        { "POST", "write/experiment/assets/remote/batch" },
        { "POST", "write/experiment/asset/delete" },
        { "POST", "write/experiment/asset/tag" },
        { "GET", "write/experiment/asset/tag/delete" },
        { "POST", "write/template/upload" },
        { "POST", "write/experiment/rpc/send" },
        { "POST", "webhooks/config" },
        { "PUT", "webhooks/config" },
        { "POST", "write/service-account" },
        { "GET", "write/api/rotate" },
        { "POST", "write/add-workspace-member" },
    };

    [Theory]
    [MemberData(nameof(SeedEndpoints))]
    public async Task Seed_endpoint_is_served_by_the_comet_surface(string method, string path)
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        using var http = fixture.Factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), "/api/rest/v2/" + path);
        request.Headers.TryAddWithoutValidation("Authorization", keys.ApiKey);
        if (method != "GET")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.True(
            response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "application/json",
            $"{method} {path}: {(int)response.StatusCode} without Comet's JSON body (unrouted?)");
        Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CometSeedCoverageTestsOnPostgres(PostgresFixture fixture) : CometSeedCoverageTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class CometSeedCoverageTestsOnSqlite(SqliteFixture fixture) : CometSeedCoverageTests(fixture);
