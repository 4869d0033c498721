using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Api.Auth;
using MlOps.Api.Tests.Infrastructure;
using MlOps.Data.Entities;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.ZenMl;

public abstract class ZenMlTests(IServerFixture fixture)
{
    private sealed record Tenant(string Workspace, Guid WorkspaceId, string User, string Password, IssuedCredentials Keys);

    private async Task<Tenant> TenantAsync(UserRole role = UserRole.Admin)
    {
        var admin = fixture.Factory.Services.GetRequiredService<TenantAdmin>();
        var workspace = "zw-" + Guid.NewGuid().ToString("N")[..10];
        var user = "zu-" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.CreateWorkspaceAsync(workspace, CancellationToken.None);
        await admin.CreateUserAsync(workspace, user, "pw-" + user, role, CancellationToken.None);
        return new Tenant(workspace, created.Id, user, "pw-" + user, await admin.CreateCredentialsAsync(workspace, user, CancellationToken.None));
    }

    private async Task<(ZenMlClient Client, Tenant Tenant)> LoginAsync(UserRole role = UserRole.Admin)
    {
        var tenant = await TenantAsync(role);
        return (await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), tenant.User, tenant.Password), tenant);
    }

    /// <summary>Calls one seed operation, checks its status is the expected one the seed documents, and validates the body against the seed's schema.</summary>
    private sealed class ContractCalls(ZenMlClient client)
    {
        public HashSet<(string, string)> Covered { get; } = [];

        public async Task<JsonElement> CallAsync(string method, string template, string path, int expected, object? body = null)
        {
            var response = method switch
            {
                "GET" => await client.GetAsync(path),
                "DELETE" => await client.DeleteAsync(path),
                _ => await client.SendJsonAsync(new HttpMethod(method), path, body!),
            };
            Assert.True(expected == (int)response.Status, $"{method} {path}: expected {expected}, got {(int)response.Status}: {response.Text}");
            Assert.Contains(expected, ZenMlContract.Seed.Value.Statuses(method, template));
            var errors = ZenMlContract.Seed.Value.Validate(method, template, expected, response.Text);
            Assert.True(errors.Count == 0, $"{method} {path} does not match the seed: {string.Join("; ", errors)}\n{response.Text}");
            Covered.Add((method, template));
            return response.Text.Length == 0 ? default : response.Body;
        }
    }

    [Fact]
    public async Task Every_seed_operation_answers_with_a_body_that_validates_and_reads_back_what_was_sent()
    {
        var (client, tenant) = await LoginAsync();
        var calls = new ContractCalls(client);
        var login = await client.LoginRawAsync(tenant.User, tenant.Password);
        Assert.Empty(ZenMlContract.Seed.Value.Validate("POST", "/login", 200, login.Text));
        calls.Covered.Add(("POST", "/login"));

        var me = await calls.CallAsync("GET", "/current-user", "/current-user", 200);
        Assert.Equal(tenant.User, me.GetProperty("name").GetString());
        Assert.True(me.GetProperty("is_admin").GetBoolean());
        var users = await calls.CallAsync("GET", "/users", "/users", 200);
        Assert.Equal(me.GetProperty("id").GetString(), users.GetProperty("items")[0].GetProperty("id").GetString());

        var project = (await client.PostAsync("/projects", new { name = "zen-project", description = "pipelines here" })).Ok();
        var projects = await calls.CallAsync("GET", "/projects", "/projects?name=zen-project", 200);
        Assert.Equal("pipelines here", projects.GetProperty("items")[0].GetProperty("description").GetString());

        var pipeline = await calls.CallAsync("POST", "/pipelines", "/pipelines", 201, new
        {
            name = "training", description = "trains", version = "3", project_id = project.GetProperty("id").GetString(), spec = new { steps = new[] { "load", "fit" } },
        });
        var pipelineId = pipeline.GetProperty("id").GetString()!;
        var readPipeline = await calls.CallAsync("GET", "/pipelines/{pipeline_id}", $"/pipelines/{pipelineId}", 200);
        Assert.Equal("trains", readPipeline.GetProperty("description").GetString());
        Assert.Equal("3", readPipeline.GetProperty("version").GetString());
        Assert.Equal("fit", readPipeline.GetProperty("spec").GetProperty("steps")[1].GetString());
        Assert.Equal(project.GetProperty("id").GetString(), readPipeline.GetProperty("project_id").GetString());
        Assert.Equal(1, (await calls.CallAsync("GET", "/pipelines", $"/pipelines?name=training&project_id={project.GetProperty("id")}", 200)).GetProperty("total").GetInt32());

        var component = (await client.PostAsync("/components", new { name = "local", type = "orchestrator", flavor = "local", configuration = new { parallel = true } })).Ok();
        var componentId = component.GetProperty("id").GetString()!;
        var components = await calls.CallAsync("GET", "/components", "/components?type=orchestrator", 200);
        Assert.Equal("local", components.GetProperty("items")[0].GetProperty("flavor").GetString());
        Assert.True(components.GetProperty("items")[0].GetProperty("configuration").GetProperty("parallel").GetBoolean());
        var stack = await calls.CallAsync("POST", "/stacks", "/stacks", 201, new
        {
            name = "dev", description = "laptop", components = new Dictionary<string, string[]> { ["orchestrator"] = [componentId] },
        });
        var stackId = stack.GetProperty("id").GetString()!;
        var readStack = await calls.CallAsync("GET", "/stacks/{stack_id}", $"/stacks/{stackId}", 200);
        Assert.Equal(componentId, readStack.GetProperty("components").GetProperty("orchestrator")[0].GetString());
        Assert.Equal(1, (await calls.CallAsync("GET", "/stacks", "/stacks", 200)).GetProperty("total").GetInt32());

        var run = (await client.PostAsync("/runs", new
        {
            name = "training-run-1", pipeline_id = pipelineId, stack_id = stackId, status = "running", start_time = "2026-01-02T03:04:05",
        })).Ok();
        var runId = run.GetProperty("id").GetString()!;
        var readRun = await calls.CallAsync("GET", "/runs/{run_id}", $"/runs/{runId}", 200);
        Assert.Equal("running", readRun.GetProperty("status").GetString());
        Assert.Equal(stackId, readRun.GetProperty("stack_id").GetString());
        Assert.StartsWith("2026-01-02T03:04:05", readRun.GetProperty("start_time").GetString());
        var runs = await calls.CallAsync("GET", "/runs", $"/runs?pipeline_id={pipelineId}&status=running", 200);
        Assert.Equal(runId, runs.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(0, (await calls.CallAsync("GET", "/runs", "/runs?status=failed", 200)).GetProperty("total").GetInt32());

        var artifact = (await client.PostAsync("/artifacts", new
        {
            name = "features", type = "DataFrame", uri = "s3://bucket/features/1", materializer = "zenml.materializers.PandasMaterializer", producer_step_run_id = runId,
        })).Ok();
        Assert.Equal("1", artifact.GetProperty("version").GetString());
        var readArtifact = await calls.CallAsync("GET", "/artifacts/{artifact_id}", $"/artifacts/{artifact.GetProperty("id")}", 200);
        Assert.Equal("s3://bucket/features/1", readArtifact.GetProperty("uri").GetString());
        Assert.Equal("zenml.materializers.PandasMaterializer", readArtifact.GetProperty("materializer").GetString());
        Assert.Equal("features", (await calls.CallAsync("GET", "/artifacts", "/artifacts?name=features", 200)).GetProperty("items")[0].GetProperty("name").GetString());

        var model = await calls.CallAsync("POST", "/models", "/models", 201, new { name = "classifier", description = "finds cats", license = "MIT", use_cases = "pets" });
        Assert.Equal("MIT", model.GetProperty("license").GetString());
        Assert.Equal("pets", (await calls.CallAsync("GET", "/models", "/models?name=classifier", 200)).GetProperty("items")[0].GetProperty("use_cases").GetString());
        var version = (await client.PostAsync("/model_versions", new { model_id = model.GetProperty("id").GetString(), description = "first", stage = "staging" })).Ok();
        var versions = await calls.CallAsync("GET", "/model_versions", $"/model_versions?model_id={model.GetProperty("id")}", 200);
        var listed = versions.GetProperty("items")[0];
        Assert.Equal(version.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.Equal((1, "1", "staging", "first"), (listed.GetProperty("number").GetInt32(), listed.GetProperty("name").GetString(), listed.GetProperty("stage").GetString(), listed.GetProperty("description").GetString()));

        (await client.PostAsync("/deployments", new { pipeline_id = pipelineId, stack_id = stackId, status = "ready" })).Ok();
        var deployments = await calls.CallAsync("GET", "/deployments", $"/deployments?pipeline_id={pipelineId}", 200);
        Assert.Equal("ready", deployments.GetProperty("items")[0].GetProperty("status").GetString());

        (await client.PostAsync("/schedules", new { name = "nightly", cron_expression = "0 2 * * *", pipeline_id = pipelineId })).Ok();
        var schedules = await calls.CallAsync("GET", "/schedules", "/schedules", 200);
        Assert.Equal("0 2 * * *", schedules.GetProperty("items")[0].GetProperty("cron_expression").GetString());
        Assert.True(schedules.GetProperty("items")[0].GetProperty("active").GetBoolean());

        var secret = await calls.CallAsync("POST", "/secrets", "/secrets", 201, new { name = "aws", values = new { key = "AKIA-zen", secret = "s3cr3t-zen" } });
        Assert.Equal("workspace", secret.GetProperty("scope").GetString());
        var secrets = await calls.CallAsync("GET", "/secrets", "/secrets", 200);
        Assert.False(secrets.GetProperty("items")[0].TryGetProperty("values", out _));
        Assert.DoesNotContain("s3cr3t-zen", secrets.GetRawText());

        (await client.PostAsync("/service_connectors", new
        {
            name = "aws-prod", connector_type = "aws", auth_method = "iam-role", resource_types = new[] { "s3-bucket" }, configuration = new { region = "eu-west-1" },
        })).Ok();
        var connectors = await calls.CallAsync("GET", "/service_connectors", "/service_connectors", 200);
        Assert.Equal("eu-west-1", connectors.GetProperty("items")[0].GetProperty("configuration").GetProperty("region").GetString());
        Assert.Equal("s3-bucket", connectors.GetProperty("items")[0].GetProperty("resource_types")[0].GetString());

        await calls.CallAsync("DELETE", "/stacks/{stack_id}", $"/stacks/{stackId}", 204);
        (await client.GetAsync($"/stacks/{stackId}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        await calls.CallAsync("DELETE", "/pipelines/{pipeline_id}", $"/pipelines/{pipelineId}", 204);
        (await client.GetAsync($"/pipelines/{pipelineId}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        Assert.Equal(JsonValueKind.Undefined, (await client.GetAsync($"/runs/{runId}")).Ok().TryGetProperty("pipeline_id", out var gone) ? gone.ValueKind : JsonValueKind.Undefined);

        Assert.Equal(ZenMlContract.Seed.Value.Operations.ToHashSet(), calls.Covered);
    }

    [Fact]
    public async Task Lists_page_filter_and_sort_consistently()
    {
        var (client, _) = await LoginAsync();
        foreach (var name in new[] { "delta", "alpha", "echo", "charlie", "bravo" })
        {
            (await client.PostAsync("/stacks", new { name, description = name.Length > 5 ? "long" : "short" })).Ok();
        }
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var body = (await client.GetAsync($"/stacks?page={page}&size=2&sort_by=desc:name")).Ok();
            Assert.Equal((page, 2, 3, 5), (body.GetProperty("index").GetInt32(), body.GetProperty("max_size").GetInt32(),
                body.GetProperty("total_pages").GetInt32(), body.GetProperty("total").GetInt32()));
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
        }
        Assert.Equal(["echo", "delta", "charlie", "bravo", "alpha"], seen);

        static IEnumerable<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!);
        Assert.Equal(["alpha", "bravo", "delta"], Names((await client.GetAsync("/stacks?name=contains:a&description=short&sort_by=asc:name")).Ok()));
        Assert.Equal(["bravo", "echo"], Names((await client.GetAsync("/stacks?name=oneof:[\"echo\",\"bravo\"]&sort_by=name")).Ok()));
        Assert.Equal(["alpha", "bravo", "charlie", "echo"], Names((await client.GetAsync("/stacks?name=startswith:a&name=endswith:o&description=equals:long&logical_operator=or&sort_by=name")).Ok()));
        Assert.Equal(5, (await client.GetAsync("/stacks?created=gte:2000-01-01T00:00:00")).Ok().GetProperty("total").GetInt32());

        var empty = (await client.GetAsync("/stacks?name=zulu")).Ok();
        Assert.Equal((1, 0), (empty.GetProperty("total_pages").GetInt32(), empty.GetProperty("total").GetInt32()));
        (await client.GetAsync("/stacks?page=4&size=2")).AssertError(HttpStatusCode.BadRequest, "ValueError");
        (await client.GetAsync("/stacks?size=1001")).AssertInvalid("query", "size");
        (await client.GetAsync("/stacks?page=0")).AssertInvalid("query", "page");
        (await client.GetAsync("/stacks?sort_by=color")).AssertInvalid("query", "sort_by");
        (await client.GetAsync("/stacks?logical_operator=xor")).AssertInvalid("query", "logical_operator");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/stacks?created=gte:yesterday")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/stacks?name=gt:b")).Status);
    }

    [Fact]
    public async Task The_server_describes_itself_before_login_with_a_stable_id()
    {
        var anonymous = new ZenMlClient(fixture.Factory.CreateClient());
        var info = (await anonymous.GetAsync("/info")).Ok();
        Assert.Equal(("OAUTH2_PASSWORD_BEARER", "sql"), (info.GetProperty("auth_scheme").GetString(), info.GetProperty("secrets_store_type").GetString()));
        Assert.Matches(@"^\d+\.\d+\.\d+$", info.GetProperty("version").GetString());
        Assert.Equal(info.GetProperty("id").GetGuid(), (await anonymous.GetAsync("/info")).Ok().GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Login_and_tokens_fail_with_401_in_ZenMLs_error_shape()
    {
        var tenant = await TenantAsync();
        var anonymous = new ZenMlClient(fixture.Factory.CreateClient());
        (await anonymous.LoginRawAsync(tenant.User, "wrong")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");
        (await anonymous.LoginRawAsync("nobody-" + Guid.NewGuid().ToString("N"), "x")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");
        (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "x" }),
        })).AssertInvalid("body", "username");

        (await anonymous.GetAsync("/pipelines")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");
        anonymous.Token = "not-a-jwt";
        (await anonymous.GetAsync("/pipelines")).AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");

        var identity = await fixture.Factory.Services.GetRequiredService<CredentialStore>().FindByPasswordAsync(tenant.User, tenant.Password, CancellationToken.None);
        anonymous.Token = fixture.Factory.Services.GetRequiredService<TokenService>().Issue(identity!, TimeSpan.FromMinutes(-5)).Token;
        var expired = await anonymous.GetAsync("/current-user");
        expired.AssertError(HttpStatusCode.Unauthorized, "AuthorizationException");
        Assert.Contains("expired", expired.Body.GetProperty("detail")[1].GetString());
    }

    [Fact]
    public async Task Bad_input_is_a_422_unknown_ids_404_and_name_conflicts_409()
    {
        var (client, _) = await LoginAsync();
        (await client.PostAsync("/pipelines", new { description = "no name" })).AssertInvalid("body", "name");
        (await client.PostAsync("/pipelines", new { name = 42 })).AssertInvalid("body", "name");
        (await client.PostAsync("/pipelines", new { name = "p", spec = "not an object" })).AssertInvalid("body", "spec");
        (await client.PostAsync("/pipelines", "{not json")).AssertInvalid("body");
        (await client.PostAsync("/pipelines", "[1, 2]")).AssertInvalid("body");
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/pipelines") { Content = new StringContent("name=x") })).AssertInvalid("body");
        (await client.PostAsync("/runs", new { name = "r", status = "exploded" })).AssertInvalid("body", "status");
        (await client.PostAsync("/components", new { name = "c", type = "toaster", flavor = "x" })).AssertInvalid("body", "type");
        (await client.PostAsync("/schedules", new { name = "never" })).AssertInvalid("body");
        (await client.PostAsync("/secrets", new { name = "s" })).AssertInvalid("body", "values");
        (await client.PostAsync("/artifacts", new { name = "a", uri = "relative/path" })).AssertInvalid("body", "uri");
        (await client.GetAsync("/runs/not-a-uuid")).AssertInvalid("path", "run_id");

        var unknown = Guid.NewGuid();
        (await client.GetAsync($"/pipelines/{unknown}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await client.GetAsync($"/runs/{unknown}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await client.GetAsync($"/artifacts/{unknown}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await client.DeleteAsync($"/stacks/{unknown}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await client.PostAsync("/runs", new { name = "r", pipeline_id = unknown })).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await client.PostAsync("/stacks", new { name = "s", components = new Dictionary<string, Guid[]> { ["orchestrator"] = [unknown] } }))
            .AssertError(HttpStatusCode.NotFound, "KeyError");

        (await client.PostAsync("/pipelines", new { name = "twice" })).Ok();
        (await client.PostAsync("/pipelines", new { name = "twice" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await client.PostAsync("/stacks", new { name = "twice" })).Ok();
        (await client.PostAsync("/stacks", new { name = "twice" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await client.PostAsync("/models", new { name = "twice" })).Ok();
        (await client.PostAsync("/models", new { name = "twice" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await client.PostAsync("/secrets", new { name = "twice", values = new { a = "b" } })).Ok();
        (await client.PostAsync("/secrets", new { name = "twice", values = new { a = "c" } })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");
        (await client.PostAsync("/runs", new { name = "twice" })).Ok();
        (await client.PostAsync("/runs", new { name = "twice" })).AssertError(HttpStatusCode.Conflict, "EntityExistsError");

        var component = (await client.PostAsync("/components", new { name = "store", type = "artifact_store", flavor = "local" })).Ok().GetProperty("id").GetString()!;
        (await client.PostAsync("/stacks", new { name = "uses-store", components = new Dictionary<string, string[]> { ["orchestrator"] = [component] } }))
            .AssertInvalid("body");
        (await client.PostAsync("/stacks", new { name = "uses-store", components = new Dictionary<string, string[]> { ["artifact_store"] = [component] } })).Ok();
        (await client.DeleteAsync($"/components/{component}")).AssertError(HttpStatusCode.Forbidden, "IllegalOperationError");
        Assert.Equal(1, (await client.GetAsync("/pipelines?name=twice")).Ok().GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Updates_change_what_they_name_and_keep_the_rest()
    {
        var (client, _) = await LoginAsync();
        var run = (await client.PostAsync("/runs", new { name = "to-finish", status = "running" })).Ok().GetProperty("id").GetString();
        var finished = (await client.PutAsync($"/runs/{run}", new { status = "completed", end_time = "2026-03-01T10:00:00Z" })).Ok();
        Assert.Equal(("completed", "to-finish"), (finished.GetProperty("status").GetString(), finished.GetProperty("name").GetString()));
        Assert.StartsWith("2026-03-01T10:00:00", finished.GetProperty("end_time").GetString());

        var schedule = (await client.PostAsync("/schedules", new { name = "hourly", interval_seconds = 3600, start_time = "2026-01-01T00:00:00" })).Ok().GetProperty("id").GetString();
        var paused = (await client.PutAsync($"/schedules/{schedule}", new { active = false })).Ok();
        Assert.Equal((false, 3600), (paused.GetProperty("active").GetBoolean(), paused.GetProperty("interval_seconds").GetInt32()));

        var model = (await client.PostAsync("/models", new { name = "ranker", license = "MIT" })).Ok().GetProperty("id").GetString();
        Assert.Equal(("MIT", "rank things"), ((await client.PutAsync($"/models/{model}", new { description = "rank things" })).Ok() is var m
            ? (m.GetProperty("license").GetString(), m.GetProperty("description").GetString()) : default));
        var first = (await client.PostAsync("/model_versions", new { model_id = model, stage = "production" })).Ok().GetProperty("id").GetString();
        var second = (await client.PostAsync("/model_versions", new { model_id = model, name = "v2" })).Ok();
        Assert.Equal((2, "none"), (second.GetProperty("number").GetInt32(), second.GetProperty("stage").GetString()));
        (await client.PutAsync($"/model_versions/{second.GetProperty("id")}", new { stage = "production" })).Ok();
        Assert.Equal("none", (await client.GetAsync($"/model_versions/{first}")).Ok().GetProperty("stage").GetString());

        var secret = (await client.PostAsync("/secrets", new { name = "db", values = new { user = "u", password = "p" } })).Ok().GetProperty("id").GetString();
        var merged = (await client.PutAsync($"/secrets/{secret}", new { values = new Dictionary<string, string?> { ["password"] = "p2", ["user"] = null, ["host"] = "h" } })).Ok();
        Assert.Equal("{\"host\":\"h\",\"password\":\"p2\"}", JsonSerializer.Serialize(merged.GetProperty("values").EnumerateObject().OrderBy(p => p.Name).ToDictionary(p => p.Name, p => p.Value.GetString())));
        Assert.Equal("p2", (await client.GetAsync($"/secrets/{secret}")).Ok().GetProperty("values").GetProperty("password").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/secrets/{secret}")).Status);
        (await client.GetAsync($"/secrets/{secret}")).AssertError(HttpStatusCode.NotFound, "KeyError");
    }

    [Fact]
    public async Task Secrets_are_encrypted_at_rest_and_user_secrets_are_private()
    {
        var (owner, tenant) = await LoginAsync();
        var mine = (await owner.PostAsync("/secrets", new { name = "token", scope = "user", values = new { token = "very-private-value" } })).Ok().GetProperty("id").GetString();
        var shared = (await owner.PostAsync("/secrets", new { name = "shared", values = new { token = "team-value" } })).Ok().GetProperty("id").GetString();

        var admin = fixture.Factory.Services.GetRequiredService<TenantAdmin>();
        var colleague = "zc-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateUserAsync(tenant.Workspace, colleague, "pw-" + colleague, UserRole.User, CancellationToken.None);
        var other = await ZenMlClient.LoginAsync(fixture.Factory.CreateClient(), colleague, "pw-" + colleague);
        (await other.GetAsync($"/secrets/{mine}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        Assert.Equal("team-value", (await other.GetAsync($"/secrets/{shared}")).Ok().GetProperty("values").GetProperty("token").GetString());
        Assert.Equal(1, (await other.GetAsync("/secrets")).Ok().GetProperty("total").GetInt32());
        (await other.PostAsync("/users", new { name = "sneaky", password = "x" })).AssertError(HttpStatusCode.Forbidden, "IllegalOperationError");

        await using var db = fixture.Factory.Services.GetRequiredService<WorkspaceContextFactory>().For(tenant.WorkspaceId);
        var stored = db.Secrets.Select(s => s.EncryptedValues).ToList();
        Assert.Equal(2, stored.Count);
        Assert.DoesNotContain(stored, s => s.Contains("very-private-value") || s.Contains("team-value") || s.Contains("token"));
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_it()
    {
        var (owner, _) = await LoginAsync();
        var (stranger, _) = await LoginAsync();
        var pipeline = (await owner.PostAsync("/pipelines", new { name = "private" })).Ok().GetProperty("id").GetString();
        var run = (await owner.PostAsync("/runs", new { name = "private-run", pipeline_id = pipeline })).Ok().GetProperty("id").GetString();
        var secret = (await owner.PostAsync("/secrets", new { name = "private", values = new { k = "v" } })).Ok().GetProperty("id").GetString();
        var stack = (await owner.PostAsync("/stacks", new { name = "private" })).Ok().GetProperty("id").GetString();

        (await stranger.GetAsync($"/pipelines/{pipeline}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await stranger.GetAsync($"/runs/{run}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await stranger.GetAsync($"/secrets/{secret}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await stranger.DeleteAsync($"/stacks/{stack}")).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await stranger.PutAsync($"/runs/{run}", new { status = "failed" })).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await stranger.PostAsync("/runs", new { name = "sneaky", pipeline_id = pipeline })).AssertError(HttpStatusCode.NotFound, "KeyError");
        foreach (var list in new[] { "/pipelines", "/runs", "/secrets", "/stacks" })
        {
            Assert.Equal(0, (await stranger.GetAsync(list)).Ok().GetProperty("total").GetInt32());
        }
        Assert.Equal("initializing", (await owner.GetAsync($"/runs/{run}")).Ok().GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/stacks/{stack}")).Status);
    }

    [Fact]
    public async Task A_pipeline_run_is_an_experiment_to_ClearML_and_Comet_and_registry_models_are_shared()
    {
        var (zen, tenant) = await LoginAsync();
        var project = (await zen.PostAsync("/projects", new { name = "shared-runs" })).Ok().GetProperty("id").GetString();
        var pipeline = (await zen.PostAsync("/pipelines", new { name = "etl", project_id = project })).Ok().GetProperty("id").GetString();
        var run = (await zen.PostAsync("/runs", new { name = "etl-run", pipeline_id = pipeline, status = "completed" })).Ok().GetProperty("id").GetString()!;

        var clearMl = await new ClearMlClient(fixture.Factory.CreateClient()).LoginAsync(tenant.Keys.AccessKey, tenant.Keys.SecretKey);
        var task = clearMl.CallAsync("tasks.get_by_id", new { task = Guid.Parse(run).ToString("N") });
        var data = (await task).Ok().GetProperty("task");
        Assert.Equal(("etl-run", "completed", "controller"), (data.GetProperty("name").GetString(), data.GetProperty("status").GetString(), data.GetProperty("type").GetString()));
        Assert.Equal(Guid.Parse(project!).ToString("N"), data.GetProperty("project").GetString());

        var comet = new CometClient(fixture.Factory.CreateClient(), tenant.Keys.ApiKey);
        var metadata = (await comet.GetAsync($"experiment/metadata?experimentKey={Guid.Parse(run):N}")).Ok();
        Assert.Equal("etl-run", metadata.GetProperty("experimentName").GetString());

        (await clearMl.CallAsync("tasks.edit", new { task = Guid.Parse(run).ToString("N"), name = "etl-run-renamed", force = true })).Ok();
        Assert.Equal("etl-run-renamed", (await zen.GetAsync($"/runs/{run}")).Ok().GetProperty("name").GetString());

        var model = (await zen.PostAsync("/models", new { name = "zen-model", description = "from zenml" })).Ok().GetProperty("id").GetString();
        (await zen.PostAsync("/model_versions", new { model_id = model, name = "1.0.0", stage = "production" })).Ok();
        var registry = (await comet.GetAsync($"registry-model/details?workspaceName={tenant.Workspace}&modelName=zen-model")).Ok();
        Assert.Equal("from zenml", registry.GetProperty("description").GetString());
        Assert.Contains("production", registry.GetProperty("versions")[0].GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlTestsOnPostgres(PostgresFixture fixture) : ZenMlTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlTestsOnSqlite(SqliteFixture fixture) : ZenMlTests(fixture);
