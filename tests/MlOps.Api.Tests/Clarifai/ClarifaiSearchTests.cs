using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Clarifai;

public abstract class ClarifaiSearchTests(IServerFixture fixture)
{
    private async Task<(ClarifaiClient Short, ClarifaiClient Long)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + keys.ApiKey);
        return (client, client.OnApp("me", "default"));
    }

    private static object Search(object annotation) => new { query = new { filters = new[] { new { annotation } } } };

    [Fact]
    public async Task Annotation_filters_are_saved_read_listed_patched_and_deleted_in_both_route_forms()
    {
        var (shortForm, longForm) = await TenantAsync();
        var created = (await shortForm.PostAsync("/annotation_filters", new
        {
            annotation_filters = new object[]
            {
                new { id = "reviewed", name = "Reviewed by Ann", search = Search(new { user_id = "ann", task_id = "t1" }) },
                new { name = "generated id", search = Search(new { model_version_id = "mv1" }) },
            },
        })).Ok().GetProperty("annotation_filters");
        Assert.Equal("reviewed", created[0].GetProperty("id").GetString());
        Assert.Equal(32, created[1].GetProperty("id").GetString()!.Length);

        var read = (await longForm.GetAsync("/annotation_filters/reviewed")).Ok().GetProperty("annotation_filter");
        Assert.Equal(("Reviewed by Ann", "default"), (read.GetProperty("name").GetString(), read.GetProperty("app_id").GetString()));
        Assert.Equal("t1", read.GetProperty("search").GetProperty("query").GetProperty("filters")[0].GetProperty("annotation").GetProperty("task_id").GetString());
        Assert.Equal(2, (await longForm.GetAsync("/annotation_filters")).Ok().GetProperty("annotation_filters").GetArrayLength());
        Assert.Equal(1, (await shortForm.GetAsync("/annotation_filters?page=2&per_page=1")).Ok().GetProperty("annotation_filters").GetArrayLength());

        var patched = (await longForm.PatchAsync("/annotation_filters", new
        {
            action = "overwrite", annotation_filters = new[] { new { id = "reviewed", name = "Reviewed", search = Search(new { user_id = "bob" }) } },
        })).Ok().GetProperty("annotation_filters")[0];
        Assert.Equal("Reviewed", patched.GetProperty("name").GetString());
        Assert.Equal("bob", (await shortForm.GetAsync("/annotation_filters/reviewed")).Ok().GetProperty("annotation_filter")
            .GetProperty("search").GetProperty("query").GetProperty("filters")[0].GetProperty("annotation").GetProperty("user_id").GetString());

        (await shortForm.PostAsync("/annotation_filters", new { annotation_filters = new[] { new { id = "reviewed", search = Search(new { user_id = "x" }) } } }))
            .AssertError(HttpStatusCode.BadRequest, 40010);
        (await shortForm.PostAsync("/annotation_filters", new { annotation_filters = new[] { new { id = "no-search" } } })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await shortForm.PostAsync("/annotation_filters", new { annotation_filters = "all" })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await shortForm.PatchAsync("/annotation_filters", new { action = "merge", annotation_filters = new[] { new { id = "reviewed" } } })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await shortForm.PatchAsync("/annotation_filters", new { annotation_filters = new[] { new { id = "ghost", name = "x" } } })).AssertError(HttpStatusCode.NotFound, 11101);

        (await longForm.DeleteAsync("/annotation_filters", new { annotation_filter_ids = new[] { "reviewed", "ghost" } })).AssertError(HttpStatusCode.NotFound, 11101);
        Assert.Equal(HttpStatusCode.OK, (await shortForm.GetAsync("/annotation_filters/reviewed")).Status);
        (await longForm.DeleteAsync("/annotation_filters", new { annotation_filter_ids = new[] { "reviewed" } })).Ok();
        (await shortForm.GetAsync("/annotation_filters/reviewed")).AssertError(HttpStatusCode.NotFound, 11101);
        (await shortForm.DeleteAsync("/annotation_filters", new { })).AssertError(HttpStatusCode.BadRequest, 11102);

        var (otherShort, _) = await TenantAsync();
        Assert.Equal(0, (await otherShort.GetAsync("/annotation_filters")).Ok().GetProperty("annotation_filters").GetArrayLength());
    }

    [Fact]
    public async Task Search_metrics_score_a_model_versions_annotations_against_a_labeling_task_per_concept()
    {
        var (shortForm, longForm) = await TenantAsync();
        (await shortForm.PostAsync("/inputs", new { inputs = new[] { "i1", "i2", "i3" }.Select(id => new { id, data = new { image = new { url = $"https://example.com/{id}.jpg" } } }) })).Ok();
        (await shortForm.PostAsync("/concepts", new { concepts = new[] { new { id = "cat", name = "Cat" }, new { id = "dog", name = "Dog" } } })).Ok();
        static object Labeled(string input, string? concept, string? task = null, string? version = null) => new
        {
            input_id = input,
            task_id = task,
            model_version_id = version,
            data = new { concepts = concept is null ? Array.Empty<object>() : [new { id = concept, value = 1 }] },
        };
        (await shortForm.PostAsync("/annotations", new
        {
            annotations = new[]
            {
                Labeled("i1", "cat", task: "labels"), Labeled("i2", "dog", task: "labels"), Labeled("i3", "cat", task: "labels"),
                Labeled("i1", "cat", version: "mv1"), Labeled("i2", "cat", version: "mv1"), Labeled("i3", null, version: "mv1"),
            },
        })).Ok();

        var posted = (await longForm.PostAsync("/annotations/searches/metrics", new
        {
            id = "eval-1", ground_truth = Search(new { task_id = "labels" }), search_to_eval = Search(new { model_version = new { id = "mv1" } }),
        })).Ok().GetProperty("annotation_search_metrics")[0];
        var byClass = posted.GetProperty("metrics").GetProperty("metrics_by_class").EnumerateArray().ToDictionary(c => c.GetProperty("concept").GetProperty("id").GetString()!);
        Assert.Equal((0.5, 0.5, 0.5, 2), Scores(byClass["cat"]));
        Assert.Equal((0.0, 0.0, 0.0, 1), Scores(byClass["dog"]));
        Assert.Equal("Cat", byClass["cat"].GetProperty("concept").GetProperty("name").GetString());
        Assert.Equal((1, 3), (byClass["dog"].GetProperty("num_neg").GetInt32() - 1, byClass["dog"].GetProperty("num_tot").GetInt32()));
        var metrics = posted.GetProperty("metrics");
        Assert.Equal(("eval-1", "default", 21300), (metrics.GetProperty("id").GetString(), metrics.GetProperty("app_id").GetString(), metrics.GetProperty("status").GetProperty("code").GetInt32()));
        Assert.False(string.IsNullOrEmpty(metrics.GetProperty("user_id").GetString()));
        var summary = posted.GetProperty("metrics").GetProperty("summary");
        Assert.Equal((0.25, 0.25, 0.25), (summary.GetProperty("macro_avg_precision").GetDouble(), summary.GetProperty("macro_avg_recall").GetDouble(), summary.GetProperty("macro_avg_f1_score").GetDouble()));

        var read = (await shortForm.GetAsync("/annotations/searches/metrics/eval-1")).Ok().GetProperty("annotation_search_metrics")[0];
        Assert.Equal(posted.GetProperty("metrics").GetRawText(), read.GetProperty("metrics").GetRawText());
        Assert.Equal("labels", read.GetProperty("ground_truth").GetProperty("query").GetProperty("filters")[0].GetProperty("annotation").GetProperty("task_id").GetString());

        var onlyCat = (await shortForm.PostAsync("/annotations/searches/metrics", new
        {
            ground_truth = Search(new { task_id = "labels" }), search_to_eval = Search(new { model_version_id = "mv1" }), data = new { concepts = new[] { new { id = "cat" } } },
        })).Ok().GetProperty("annotation_search_metrics")[0];
        Assert.Equal(1, onlyCat.GetProperty("metrics").GetProperty("metrics_by_class").GetArrayLength());
        Assert.Equal("cat", onlyCat.GetProperty("data").GetProperty("concepts")[0].GetProperty("id").GetString());
        Assert.Equal(2, (await longForm.GetAsync("/annotations/searches/metrics")).Ok().GetProperty("annotation_search_metrics").GetArrayLength());

        (await shortForm.PostAsync("/annotations/searches/metrics", new { id = "eval-1", ground_truth = Search(new { task_id = "labels" }), search_to_eval = Search(new { task_id = "labels" }) }))
            .AssertError(HttpStatusCode.BadRequest, 40010);
        (await shortForm.PostAsync("/annotations/searches/metrics", new { ground_truth = Search(new { task_id = "labels" }) })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await shortForm.PostAsync("/annotations/searches/metrics", new { ground_truth = new { query = new { filters = new[] { "x" } } }, search_to_eval = Search(new { task_id = "labels" }) }))
            .AssertError(HttpStatusCode.BadRequest, 11102);
        (await shortForm.GetAsync("/annotations/searches/metrics/missing")).AssertError(HttpStatusCode.NotFound, 11101);
        (await longForm.DeleteAsync("/annotations/searches/metrics", new { id = "eval-1" })).Ok();
        (await shortForm.GetAsync("/annotations/searches/metrics/eval-1")).AssertError(HttpStatusCode.NotFound, 11101);
        var other = onlyCat.GetProperty("metrics").GetProperty("id").GetString();
        (await shortForm.DeleteAsync($"/annotations/searches/metrics/{other}", new { })).Ok();
        Assert.Equal(0, (await longForm.GetAsync("/annotations/searches/metrics")).Ok().GetProperty("annotation_search_metrics").GetArrayLength());
        (await longForm.DeleteAsync("/annotations/searches/metrics", new { id = "eval-1" })).AssertError(HttpStatusCode.NotFound, 11101);
    }

    private static (double, double, double, int) Scores(JsonElement c) =>
        (c.GetProperty("precision_recall_curve").GetProperty("precision")[0].GetDouble(), c.GetProperty("precision_recall_curve").GetProperty("recall")[0].GetDouble(),
            c.GetProperty("f1").GetDouble(), c.GetProperty("num_pos").GetInt32());
}

[Collection(PostgresCollection.Name)]
public sealed class ClarifaiSearchTestsOnPostgres(PostgresFixture fixture) : ClarifaiSearchTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ClarifaiSearchTestsOnSqlite(SqliteFixture fixture) : ClarifaiSearchTests(fixture);
