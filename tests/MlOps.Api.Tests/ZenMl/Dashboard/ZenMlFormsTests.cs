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
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlFormsTestsOnPostgres(PostgresFixture fixture) : ZenMlFormsTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlFormsTestsOnSqlite(SqliteFixture fixture) : ZenMlFormsTests(fixture);
