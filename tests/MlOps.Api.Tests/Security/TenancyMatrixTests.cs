using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Workspace isolation over every endpoint of every surface, from the server's route table: a workspace owns objects on
/// all four surfaces, their names and contents carrying a marker (ids and names the intruder sends do not, so echoes of
/// them are no leak); another workspace's credentials call every endpoint with the owner's ids in every id field, query
/// parameter and path parameter. No answer may carry the marker, and afterwards the owner's objects are all there, unchanged.
/// </summary>
public abstract class TenancyMatrixTests(IServerFixture fixture)
{
    private sealed record Owned(string Workspace, Dictionary<string, string> Ids, string Marker, string ProjectName, string FilePath);

    [Fact]
    public async Task No_endpoint_lets_another_workspace_read_change_or_delete_the_owners_objects()
    {
        var (owner, ownerKeys) = await CallerAsync();
        var owned = await SeedAsync(owner, ownerKeys.ApiKey);
        var before = await SnapshotAsync(owner, ownerKeys.ApiKey, owned);
        var (intruder, _) = await CallerAsync();

        var http = fixture.Factory.CreateClient();
        var leaks = new List<string>();
        var routes = RouteTable.Of(fixture.Factory);
        var sent = 0;
        foreach (var route in routes.Where(r => r.Surface != Surface.Operations))
        {
            foreach (var (kind, id) in owned.Ids)
            {
                var path = route.Path(name => name switch
                {
                    "user_id" => owned.Workspace,
                    "app_id" or "project_name_or_id" => owned.ProjectName,
                    "path" => owned.FilePath,
                    _ => id,
                });
                var query = $"?experimentKey={id}&projectId={id}&workspaceName={owned.Workspace}&workspace={owned.Workspace}&projectName={Uri.EscapeDataString(owned.ProjectName)}" +
                    $"&modelName={id}&id={id}&ids={id}&input_ids={id}&task={id}&user_app_id.app_id={Uri.EscapeDataString(owned.ProjectName)}";
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path + query);
                if (route.Method is not ("GET" or "HEAD") || route.Surface == Surface.ClearMl)
                {
                    request.Content = new StringContent(Body(id, owned), Encoding.UTF8, "application/json");
                }
                intruder.Authorize(request, route.Surface);
                using var response = await http.SendAsync(request);
                sent++;
                var text = await response.Content.ReadAsStringAsync();
                if (text.Contains(owned.Marker, StringComparison.OrdinalIgnoreCase))
                {
                    leaks.Add($"{route} with the owner's {kind}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
                }
            }
        }
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {sent} cross-workspace calls answered the owner's data:\n{string.Join("\n", leaks.Take(40))}");
        Assert.Equal(before, await SnapshotAsync(owner, ownerKeys.ApiKey, owned));
    }

    private async Task<(Caller Caller, IssuedCredentials Keys)> CallerAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var clearMl = await fixture.Factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        return (new Caller(clearMl.Token!, keys.ApiKey), keys);
    }

    /// <summary>Every id field a request of any surface might read, all naming the same object of the owner.</summary>
    private static string Body(string id, Owned owned) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = id, ["ids"] = new[] { id }, ["task"] = id, ["tasks"] = new[] { id }, ["project"] = id, ["projects"] = new[] { id },
        ["model"] = id, ["models"] = new[] { id }, ["queue"] = id, ["queues"] = new[] { id }, ["parent"] = id, ["worker"] = id,
        ["experimentKey"] = id, ["experiment_key"] = id, ["projectId"] = id, ["project_id"] = id, ["modelId"] = id,
        ["registryModelId"] = id, ["registryModelItemId"] = id, ["artifactId"] = id, ["artifactVersionId"] = id,
        ["workspaceName"] = owned.Workspace, ["projectName"] = owned.ProjectName, ["pipeline_id"] = id, ["stack_id"] = id, ["model_id"] = id,
        ["input_ids"] = new[] { id }, ["annotation_filter_ids"] = new[] { id }, ["user_app_id"] = new { app_id = owned.ProjectName },
        ["annotations"] = new[] { new { id, input_id = id } }, ["inputs"] = new[] { new { id } }, ["concepts"] = new[] { new { id } },
        ["action"] = "overwrite", ["force"] = true, ["name"] = "probe", ["values"] = new { k = "v" },
    });

    /// <summary>An object of every kind on every surface, each carrying the marker in its name or content.</summary>
    private async Task<Owned> SeedAsync(Caller owner, string apiKey)
    {
        var marker = "mk" + Guid.NewGuid().ToString("N");
        var token = Guid.NewGuid().ToString("N")[..12];
        var clearMl = new ClearMlClient(fixture.Factory.CreateClient()) { Token = owner.ClearMlToken };
        var projectName = $"project-{token}";
        var project = await clearMl.CreateProjectAsync(projectName);
        var task = await clearMl.CreateTaskAsync(project, $"{marker}-task");
        (await clearMl.CallAsync("tasks.edit_hyper_params", new { task, hyperparams = new[] { new { section = "Args", name = "p", value = $"{marker}-param" } } })).Ok();
        (await clearMl.AddEventsAsync([
            new { type = "training_stats_scalar", task, iter = 1, metric = $"{marker}-metric", variant = "v", value = 1.0, timestamp = 1_790_000_000_000 },
            new { type = "log", task, level = "info", worker = "w", msg = $"{marker}-log", timestamp = 1_790_000_000_000 },
        ])).Ok();
        var model = (await clearMl.CallAsync("models.create", new { name = $"{marker}-model", uri = "http://files/m.bin", project, task })).Ok().GetProperty("id").GetString()!;
        var queue = (await clearMl.CallAsync("queues.create", new { name = $"{marker}-queue" })).Ok().GetProperty("id").GetString()!;
        var filePath = $"files-{token}/data.txt";
        var upload = new HttpRequestMessage(HttpMethod.Post, "/files")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"{marker}-file")), filePath, filePath } },
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", owner.ClearMlToken) },
        };
        (await clearMl.SendAsync(upload)).Ok();

        var comet = new CometClient(fixture.Factory.CreateClient(), apiKey);
        var workspace = (await comet.GetAsync("workspaces")).Ok().GetProperty("workspaceNames")[0].GetString()!;
        var experiment = (await comet.PostAsync("write/experiment/create", new { workspaceName = workspace, projectName, experimentName = $"{marker}-experiment" }))
            .Ok().GetProperty("experimentKey").GetString()!;
        (await comet.PostAsync("write/experiment/metric", new { experimentKey = experiment, metricName = $"{marker}-cmetric", metricValue = 1, step = 1 })).Ok();

        var zen = new ZenMlClient(fixture.Factory.CreateClient()) { Token = owner.ClearMlToken };
        var pipeline = (await zen.PostAsync("/pipelines", new { name = $"{marker}-pipeline" })).Ok().GetProperty("id").GetString()!;
        var secret = (await zen.PostAsync("/secrets", new { name = $"{marker}-secret", values = new { key = $"{marker}-secret-value" } })).Ok().GetProperty("id").GetString()!;
        var registered = (await zen.PostAsync("/models", new { name = $"{marker}-registered" })).Ok().GetProperty("id").GetString()!;

        var clarifai = new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + apiKey).OnApp("me", projectName);
        var input = $"input-{token}";
        (await clarifai.PostAsync("/inputs", new { inputs = new[] { new { id = input, data = new { image = new { url = $"https://example.com/{marker}.jpg" } } } } })).Ok();
        var annotation = (await clarifai.PostAsync("/annotations", new { annotations = new[] { new { input_id = input, data = new { concepts = new[] { new { id = $"{marker}-concept", value = 1 } } } } } }))
            .Ok().GetProperty("annotations")[0].GetProperty("id").GetString()!;

        return new Owned(workspace, new Dictionary<string, string>
        {
            ["project"] = project, ["task"] = task, ["model"] = model, ["queue"] = queue, ["comet experiment"] = experiment,
            ["pipeline"] = pipeline, ["secret"] = secret, ["registered model"] = registered, ["input"] = input, ["annotation"] = annotation,
            ["dashed task"] = Guid.Parse(task).ToString("D"),
        }, marker, projectName, filePath);
    }

    /// <summary>What the owner sees of its objects, as one comparable text.</summary>
    private async Task<string> SnapshotAsync(Caller owner, string apiKey, Owned owned)
    {
        var clearMl = new ClearMlClient(fixture.Factory.CreateClient()) { Token = owner.ClearMlToken };
        var zen = new ZenMlClient(fixture.Factory.CreateClient()) { Token = owner.ClearMlToken };
        var clarifai = new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + apiKey).OnApp("me", owned.ProjectName);
        var file = await fixture.Factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, "/files/" + owned.FilePath)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", owner.ClearMlToken) },
        });
        var parts = new[]
        {
            (await clearMl.CallAsync("tasks.get_by_id", new { task = owned.Ids["task"] })).Ok().GetRawText(),
            (await clearMl.CallAsync("projects.get_by_id", new { project = owned.Ids["project"] })).Ok().GetRawText(),
            (await clearMl.CallAsync("models.get_by_id", new { model = owned.Ids["model"] })).Ok().GetRawText(),
            (await clearMl.CallAsync("queues.get_by_id", new { queue = owned.Ids["queue"] })).Ok().GetRawText(),
            (await clearMl.CallAsync("events.get_task_log", new { task = owned.Ids["task"] })).Ok().GetProperty("events").GetRawText(),
            await file.Content.ReadAsStringAsync(),
            (await zen.GetAsync($"/pipelines/{owned.Ids["pipeline"]}")).Ok().GetRawText(),
            (await zen.GetAsync($"/secrets/{owned.Ids["secret"]}")).Ok().GetRawText(),
            (await zen.GetAsync($"/models/{owned.Ids["registered model"]}")).Ok().GetRawText(),
            (await zen.GetAsync($"/runs/{owned.Ids["comet experiment"]}")).Text,
            (await clarifai.GetAsync($"/inputs/{owned.Ids["input"]}")).Ok().GetProperty("input").GetRawText(),
            (await clarifai.GetAsync($"/inputs/{owned.Ids["input"]}/annotations/{owned.Ids["annotation"]}")).Ok().GetProperty("annotation").GetRawText(),
        };
        return string.Join("\n", parts);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TenancyMatrixTestsOnPostgres(PostgresFixture fixture) : TenancyMatrixTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class TenancyMatrixTestsOnSqlite(SqliteFixture fixture) : TenancyMatrixTests(fixture);
