using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>Models and model versions in ZenML's nested shape, the seed's flat fields beside it.</summary>
public abstract class ZenMlModelShapesTests(IServerFixture fixture)
{
    [Fact]
    public async Task A_model_carries_its_card_in_metadata_and_its_latest_version_in_resources()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;
        var model = (await zen.PostAsync("/models", new { name = "classifier", description = "finds cats", license = "MIT", ethical_considerations = "pets only" })).Ok();
        Assert.Equal("MIT", model.GetProperty("license").GetString());
        Assert.Equal("MIT", model.GetProperty("metadata").GetProperty("license").GetString());
        Assert.Equal("pets only", model.GetProperty("metadata").GetProperty("ethics").GetString());
        var id = model.GetProperty("id").GetString();
        (await zen.PostAsync("/model_versions", new { model_id = id, name = "1.0.0", description = "first" })).Ok();
        var second = (await zen.PostAsync("/model_versions", new { model_id = id, description = "second", stage = "production" })).Ok();
        Assert.Equal(2, second.GetProperty("number").GetInt32());
        Assert.Equal("production", second.GetProperty("body").GetProperty("stage").GetString());
        Assert.Equal("classifier", second.GetProperty("body").GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("second", second.GetProperty("metadata").GetProperty("description").GetString());

        var read = (await zen.GetAsync("/models/classifier")).Ok();
        Assert.Equal(second.GetProperty("id").GetString(), read.GetProperty("resources").GetProperty("latest_version_id").GetString());
        Assert.Equal(second.GetProperty("name").GetString(), read.GetProperty("resources").GetProperty("latest_version_name").GetString());
        var project = (await zen.GetAsync("/projects/default")).Ok().GetProperty("id").GetString();
        Assert.Equal(project, read.GetProperty("body").GetProperty("project_id").GetString());

        var versions = (await zen.GetAsync($"/model_versions?model_id={id}&sort_by=desc:number")).Ok().GetProperty("items");
        Assert.Equal(2, versions[0].GetProperty("body").GetProperty("number").GetInt32());
        Assert.False(versions[0].TryGetProperty("metadata", out _));
        Assert.False(versions[1].GetProperty("body").TryGetProperty("stage", out _));
        Assert.Equal(0, versions[1].GetProperty("resources").GetProperty("services").GetProperty("total").GetInt32());
        var models = (await zen.GetAsync("/models?hydrate=true")).Ok().GetProperty("items");
        Assert.Equal("finds cats", models[0].GetProperty("metadata").GetProperty("description").GetString());
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlModelShapesTestsOnPostgres(PostgresFixture fixture) : ZenMlModelShapesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlModelShapesTestsOnSqlite(SqliteFixture fixture) : ZenMlModelShapesTests(fixture);
