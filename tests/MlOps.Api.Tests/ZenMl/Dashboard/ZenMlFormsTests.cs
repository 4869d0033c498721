using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>What the dashboard's create and edit forms read before they submit, and the calls they send, as they send them.</summary>
public abstract class ZenMlFormsTests(IServerFixture fixture)
{
    [Fact]
    public async Task The_stack_edit_form_gets_each_components_flavor_logo_and_its_update_renames_and_regroups_the_stack()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var orchestrator = (await zen.PostAsync("/components", new { name = "local", type = "orchestrator", flavor = "local" })).Ok().GetProperty("id").GetString();
        var store = (await zen.PostAsync("/components", new { name = "store", type = "artifact_store", flavor = "local", configuration = new { path = "/tmp/a" } }))
            .Ok().GetProperty("id").GetString();
        var builder = (await zen.PostAsync("/components", new { name = "builder", type = "image_builder", flavor = "local" })).Ok().GetProperty("id").GetString();
        var stack = (await zen.PostAsync("/stacks", new { name = "dev", components = new { orchestrator = new[] { orchestrator }, artifact_store = new[] { store } } }))
            .Ok().GetProperty("id").GetString();

        // The form keeps a component only with a logo (zod: logoUrl min 1); without one it refuses to submit.
        var components = (await zen.GetAsync($"/stacks/{stack}")).Ok().GetProperty("metadata").GetProperty("components");
        Assert.Equal("https://public-flavor-logos.s3.eu-central-1.amazonaws.com/orchestrator/local.png",
            components.GetProperty("orchestrator")[0].GetProperty("body").GetProperty("logo_url").GetString());
        Assert.Equal("https://public-flavor-logos.s3.eu-central-1.amazonaws.com/artifact_store/local.svg",
            components.GetProperty("artifact_store")[0].GetProperty("body").GetProperty("logo_url").GetString());
        Assert.Equal(0, (await zen.GetAsync("/stacks?name=dev-edited")).Ok().GetProperty("total").GetInt32());

        var updated = (await zen.PutAsync($"/stacks/{stack}", new
        {
            name = "dev-edited",
            components = new { orchestrator = new[] { orchestrator }, artifact_store = new[] { store }, image_builder = new[] { builder } },
        })).Ok();
        Assert.Equal("dev-edited", updated.GetProperty("name").GetString());
        var regrouped = updated.GetProperty("metadata").GetProperty("components");
        Assert.Equal(builder, regrouped.GetProperty("image_builder")[0].GetProperty("id").GetString());
        Assert.Equal("https://public-flavor-logos.s3.eu-central-1.amazonaws.com/image_builder/local.svg",
            regrouped.GetProperty("image_builder")[0].GetProperty("body").GetProperty("logo_url").GetString());
    }

    [Fact]
    public async Task The_connector_wizard_verifies_a_docker_configuration_then_registers_it()
    {
        var tenant = await DashboardTenant.CreateAsync(fixture);
        var zen = tenant.Client;
        var user = (await zen.GetAsync("/current-user")).Ok().GetProperty("id").GetString();
        // As the wizard sends it: "all resource types" leaves resource_types out, empty fields are dropped.
        var form = new { name = "hub", auth_method = "password", connector_type = "docker", configuration = new { username = "ci", password = "token" }, user };

        var verified = (await zen.PostAsync("/service_connectors/verify", form)).Ok();
        Assert.False(verified.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null);
        Assert.Equal("docker", verified.GetProperty("connector_type").GetProperty("connector_type").GetString());
        var registry = Assert.Single(verified.GetProperty("resources").EnumerateArray());
        Assert.Equal("docker-registry", registry.GetProperty("resource_type").GetString());
        Assert.Equal(["docker.io"], registry.GetProperty("resource_ids").EnumerateArray().Select(r => r.GetString()));
        var own = (await zen.PostAsync("/service_connectors/verify", new
        {
            name = "ghcr", auth_method = "password", connector_type = "docker", resource_types = new[] { "docker-registry" },
            configuration = new { username = "ci", password = "token", registry = "https://ghcr.io/team/images" },
        })).Ok();
        Assert.Equal("ghcr.io", own.GetProperty("resources")[0].GetProperty("resource_ids")[0].GetString());
        Assert.Equal(0, (await zen.GetAsync("/service_connectors?name=hub")).Ok().GetProperty("total").GetInt32());

        var created = (await zen.PostAsync("/service_connectors", form)).Ok();
        Assert.Equal("hub", created.GetProperty("name").GetString());
        Assert.Equal("password", created.GetProperty("body").GetProperty("auth_method").GetString());
        Assert.Equal(user, created.GetProperty("resources").GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(1, (await zen.GetAsync("/service_connectors?name=hub")).Ok().GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Verifying_refuses_an_incomplete_configuration_and_says_when_it_cannot_reach_the_service()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;

        (await zen.PostAsync("/service_connectors/verify", new { connector_type = "docker", auth_method = "password", configuration = new { username = "ci" } }))
            .AssertError(HttpStatusCode.BadRequest, "ValueError");
        (await zen.PostAsync("/service_connectors/verify", new { connector_type = "docker", auth_method = "secret-key", configuration = new { } }))
            .AssertError(HttpStatusCode.BadRequest, "ValueError");
        (await zen.PostAsync("/service_connectors/verify", new { connector_type = "aws", auth_method = "secret-key", resource_types = new[] { "gcs-bucket" } }))
            .AssertError(HttpStatusCode.BadRequest, "ValueError");
        (await zen.PostAsync("/service_connectors/verify", new { connector_type = "mainframe", auth_method = "password" })).AssertError(HttpStatusCode.NotFound, "KeyError");
        (await zen.PostAsync("/service_connectors/verify", new { connector_type = "docker" })).AssertInvalid("body", "auth_method");

        var aws = (await zen.PostAsync("/service_connectors/verify", new
        {
            connector_type = "aws", auth_method = "secret-key", resource_types = new[] { "s3-bucket" },
            configuration = new { region = "eu-west-1", aws_access_key_id = "AKIA", aws_secret_access_key = "secret" },
        })).Ok();
        Assert.Contains("register the connector without validation", aws.GetProperty("error").GetString());
        var bucket = Assert.Single(aws.GetProperty("resources").EnumerateArray());
        Assert.Equal("s3-bucket", bucket.GetProperty("resource_type").GetString());
        Assert.NotNull(bucket.GetProperty("error").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlFormsTestsOnPostgres(PostgresFixture fixture) : ZenMlFormsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlFormsTestsOnSqlite(SqliteFixture fixture) : ZenMlFormsTests(fixture);
