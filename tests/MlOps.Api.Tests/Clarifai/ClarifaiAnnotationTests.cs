using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Clarifai;

public abstract class ClarifaiAnnotationTests(IServerFixture fixture)
{
    /// <summary>A new workspace; the client on the short form (its default app) and on the long form of that app.</summary>
    private async Task<(ClarifaiClient Short, ClarifaiClient Long, string ApiKey)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var client = new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + keys.ApiKey);
        return (client, client.OnApp("me", "default"), keys.ApiKey);
    }

    private static async Task InputsAsync(ClarifaiClient client, params string[] ids) =>
        (await client.PostAsync("/inputs", new { inputs = ids.Select(id => new { id, data = new { image = new { url = $"https://example.com/{id}.jpg" } } }) })).Ok();

    private static JsonElement Single(ClarifaiResponse response, string field) => Assert.Single(response.Ok().GetProperty(field).EnumerateArray());

    [Fact]
    public async Task An_annotation_with_a_region_round_trips_through_both_route_forms()
    {
        var (shortForm, longForm, _) = await TenantAsync();
        await InputsAsync(shortForm, "img1");
        (await longForm.PostAsync("/concepts", new { concepts = new[] { new { id = "dog", name = "Dog" } } })).Ok();

        var created = Single(await longForm.PostAsync("/annotations", new
        {
            annotations = new[]
            {
                new
                {
                    input_id = "img1",
                    data = new
                    {
                        regions = new[]
                        {
                            new { region_info = new { bounding_box = new { top_row = 0.1, left_col = 0.2, bottom_row = 0.9, right_col = 0.75 } }, data = new { concepts = new[] { new { id = "dog", value = 1.0 } } } },
                        },
                        metadata = new Dictionary<string, string> { ["Source"] = "camera-A" },
                    },
                },
            },
        }), "annotations");
        var id = created.GetProperty("id").GetString();

        var read = (await shortForm.GetAsync($"/inputs/img1/annotations/{id}")).Ok().GetProperty("annotation");
        Assert.Equal("img1", read.GetProperty("input_id").GetString());
        Assert.Equal(24150, read.GetProperty("status").GetProperty("code").GetInt32());
        var region = Assert.Single(read.GetProperty("data").GetProperty("regions").EnumerateArray());
        Assert.Equal(32, region.GetProperty("id").GetString()!.Length);
        var box = region.GetProperty("region_info").GetProperty("bounding_box");
        Assert.Equal(0.1, box.GetProperty("top_row").GetDouble());
        Assert.Equal(0.75, box.GetProperty("right_col").GetDouble());
        var concept = Assert.Single(region.GetProperty("data").GetProperty("concepts").EnumerateArray());
        Assert.Equal("Dog", concept.GetProperty("name").GetString());
        Assert.Equal(1.0, concept.GetProperty("value").GetDouble());
        Assert.Equal("camera-A", read.GetProperty("data").GetProperty("metadata").GetProperty("Source").GetString());
        (await longForm.GetAsync($"/inputs/other/annotations/{id}")).AssertError(HttpStatusCode.NotFound, 11101);
        Assert.Equal(1, (await longForm.GetAsync("/inputs/status")).Ok().GetProperty("counts").GetProperty("processed").GetInt32());
        Assert.Equal("alice", Single(await shortForm.GetAsync("/annotations/workers"), "workers").GetProperty("user").GetProperty("id").GetString());
        (await shortForm.GetAsync("/inputs/img1")).Ok();
    }

    [Fact]
    public async Task Camel_case_requests_and_enum_names_are_accepted_and_answered_in_snake_case()
    {
        var (client, _, _) = await TenantAsync();
        await InputsAsync(client, "img2");

        var created = Single(await client.PostAsync("/annotations", new
        {
            annotations = new[] { new { inputId = "img2", status = new { code = "ANNOTATION_PENDING" }, data = new { concepts = new[] { new { id = "cat" } } } } },
        }), "annotations");

        Assert.Equal(24151, created.GetProperty("status").GetProperty("code").GetInt32());
        (await client.PostAsync("/annotations", new { annotations = new[] { new { inputId = "img2", taskId = "t-1" }, new { inputId = "img2", taskId = "t-1" } } })).Ok();
        var count = Single(await client.GetAsync("/tasks/t-1/annotations/count"), "counts");
        Assert.Equal("alice", count.GetProperty("user_id").GetString());
        Assert.Equal(2, count.GetProperty("success").GetInt32());
        Assert.Equal(0, count.GetProperty("pending").GetInt32());
        Assert.Empty((await client.GetAsync("/tasks/t-1/annotations/count?user_ids=bob")).Ok().GetProperty("counts").EnumerateArray());
        Assert.Equal("img2", created.GetProperty("input_id").GetString());
        var concept = Assert.Single(created.GetProperty("data").GetProperty("concepts").EnumerateArray());
        Assert.Equal(1.0, concept.GetProperty("value").GetDouble());
        Assert.Equal("cat", concept.GetProperty("name").GetString());
        (await client.PostAsync("/annotations", new { annotations = new[] { new { inputId = "img2", status = new { code = "ANNOTATION_SOMEDAY" } } } }))
            .AssertError(HttpStatusCode.BadRequest, 24155);
    }

    [Fact]
    public async Task Merge_overwrite_and_remove_patch_as_Clarifai_does()
    {
        var (client, _, _) = await TenantAsync();
        await InputsAsync(client, "img3");
        var region = new { id = "r1", region_info = new { bounding_box = new { top_row = 0.0, left_col = 0.0, bottom_row = 0.5, right_col = 0.5 } }, data = new { concepts = new[] { new { id = "car", value = 1.0 }, new { id = "water", value = 0.0 } } } };
        var id = Single(await client.PostAsync("/annotations", new { annotations = new[] { new { input_id = "img3", data = new { regions = new[] { region } } } } }), "annotations")
            .GetProperty("id").GetString();

        var merged = Single(await client.PatchAsync("/annotations", new
        {
            action = "merge",
            annotations = new[] { new { id, data = new { regions = new[] { new { id = "r1", data = new { concepts = new[] { new { id = "bike", value = 1.0 }, new { id = "water", value = 1.0 } } } } } } } },
        }), "annotations");
        var r1 = Assert.Single(merged.GetProperty("data").GetProperty("regions").EnumerateArray());
        var concepts = r1.GetProperty("data").GetProperty("concepts").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("value").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["car"] = 1, ["water"] = 1, ["bike"] = 1 }, concepts);
        Assert.Equal(0.5, r1.GetProperty("region_info").GetProperty("bounding_box").GetProperty("bottom_row").GetDouble());

        var removed = Single(await client.PatchAsync("/annotations", new
        {
            action = "remove",
            annotations = new[] { new { id, data = new { regions = new[] { new { id = "r1", data = new { concepts = new[] { new { id = "car", value = 0.0 } } } } } } } },
        }), "annotations");
        Assert.Equal(["water", "bike"], removed.GetProperty("data").GetProperty("regions")[0].GetProperty("data").GetProperty("concepts").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var overwritten = Single(await client.PatchAsync("/annotations", new { action = "overwrite", annotations = new[] { new { id, data = new { concepts = new[] { new { id = "tree", value = 1.0 } } } } } }), "annotations");
        Assert.False(overwritten.GetProperty("data").TryGetProperty("regions", out _));
        Assert.Equal("tree", overwritten.GetProperty("data").GetProperty("concepts")[0].GetProperty("id").GetString());

        (await client.PatchAsync("/annotations", new { action = "remove", delete_if_empty_data = true, annotations = new[] { new { id, data = new { concepts = new[] { new { id = "tree", value = 0.0 } } } } } })).Ok();
        (await client.GetAsync($"/inputs/img3/annotations/{id}")).AssertError(HttpStatusCode.NotFound, 11101);
        (await client.PatchAsync("/annotations", new { action = "replace", annotations = new[] { new { id } } })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await client.PatchAsync("/annotations", new { action = "merge", annotations = new[] { new { id = "nope" } } })).AssertError(HttpStatusCode.NotFound, 11101);
    }

    [Fact]
    public async Task Listing_filters_and_pages_and_bulk_delete_takes_every_form()
    {
        var (client, longForm, _) = await TenantAsync();
        await InputsAsync(client, "a", "b");
        Assert.Equal(["b"], (await client.GetAsync("/inputs?ids=b")).Ok().GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["a", "b"], (await client.GetAsync("/inputs?ids=a&ids=b&ids=zzz")).Ok().GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Order());
        var ids = new List<string>();
        foreach (var input in new[] { "a", "a", "b" })
        {
            ids.Add(Single(await client.PostAsync("/annotations", new { annotations = new[] { new { input_id = input, data = new { concepts = new[] { new { id = "x" } } } } } }), "annotations").GetProperty("id").GetString()!);
        }

        var listed = (await client.GetAsync("/annotations?input_ids=a")).Ok().GetProperty("annotations").EnumerateArray().Where(x => !x.GetProperty("input_level").GetBoolean()).ToList();
        Assert.Equal(2, listed.Count);
        var pair = Single(await client.GetAsync($"/annotations?ids={ids[2]}&input_ids=b"), "annotations");
        Assert.Equal(ids[2], pair.GetProperty("id").GetString());
        var page1 = (await client.GetAsync("/annotations?per_page=2&page=1")).Ok().GetProperty("annotations").EnumerateArray().Select(x => x.GetProperty("id").GetString()).ToList();
        var page2 = (await client.GetAsync("/annotations?perPage=2&page=2")).Ok().GetProperty("annotations").EnumerateArray().Select(x => x.GetProperty("id").GetString()).ToList();
        var page3 = (await client.GetAsync("/annotations?per_page=2&page=3")).Ok().GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(2, page1.Count);
        Assert.Equal(2, page2.Count);
        Assert.Single(page3);
        Assert.Empty(page1.Intersect(page2));
        Assert.Equal(5, (await client.GetAsync("/annotations?list_all_annotations=true&user_ids=alice")).Ok().GetProperty("annotations").GetArrayLength());

        (await client.DeleteAsync($"/inputs/a/annotations/{ids[0]}")).Ok();
        (await client.DeleteAsync($"/inputs/a/annotations/{ids[0]}")).AssertError(HttpStatusCode.NotFound, 11101);
        (await longForm.DeleteAsync("/inputs/annotations", new { ids = new[] { ids[1] }, input_ids = new[] { "a" } })).Ok();
        (await client.DeleteAsync("/annotations", new { ids = new[] { "x" } })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await client.DeleteAsync("/annotations", new { input_ids = new[] { "b" } })).Ok();
        var left = (await client.GetAsync("/annotations")).Ok().GetProperty("annotations").EnumerateArray().ToList();
        Assert.All(left, x => Assert.True(x.GetProperty("input_level").GetBoolean()));
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task Bad_requests_get_Clarifai_codes_and_write_nothing()
    {
        var (client, _, apiKey) = await TenantAsync();
        await InputsAsync(client, "img4");
        using var http = fixture.Factory.CreateClient();

        (await new ClarifaiClient(http, null).GetAsync("/annotations")).AssertError(HttpStatusCode.Unauthorized, 11102);
        (await new ClarifaiClient(http, apiKey).GetAsync("/annotations")).AssertError(HttpStatusCode.Unauthorized, 11102);
        (await new ClarifaiClient(http, "Bearer " + apiKey).GetAsync("/annotations")).AssertError(HttpStatusCode.Unauthorized, 11102);
        (await new ClarifaiClient(http, "Key nope").GetAsync("/annotations")).AssertError(HttpStatusCode.Unauthorized, 11009);
        (await client.SendAsync(HttpMethod.Post, "/annotations", "a JSON string, not an object")).AssertError(HttpStatusCode.BadRequest, 11100);
        (await client.PostAsync("/annotations", new { annotations = "many" })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await client.PostAsync("/annotations", new
        {
            annotations = new object[]
            {
                new { input_id = "img4", data = new { concepts = new[] { new { id = "ok" } } } },
                new { input_id = "img4", data = new { regions = new[] { new { region_info = new { bounding_box = new { top_row = 0.9, left_col = 0.0, bottom_row = 0.1, right_col = 1.0 } } } } } },
            },
        })).AssertError(HttpStatusCode.BadRequest, 24155);
        (await client.PostAsync("/annotations", new { annotations = new[] { new { input_id = "ghost" } } })).AssertError(HttpStatusCode.NotFound, 11101);
        Assert.DoesNotContain((await client.GetAsync("/annotations?input_ids=img4")).Ok().GetProperty("annotations").EnumerateArray(), x => !x.GetProperty("input_level").GetBoolean());

        var mixed = await client.PostAsync("/inputs", new { inputs = new[] { new { id = "img4" }, new { id = "img5" } } });
        Assert.Equal(HttpStatusCode.OK, mixed.Status);
        Assert.Equal(10010, mixed.Code);
        Assert.Equal([40010, 30000], mixed.Body.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("status").GetProperty("code").GetInt32()));
        (await client.OnApp("me", "no-such-app").GetAsync("/annotations")).AssertError(HttpStatusCode.NotFound, 11101);
        (await client.OnApp("someone-else", "default").GetAsync("/annotations")).AssertError(HttpStatusCode.NotFound, 11101);
        (await client.GetAsync("/concepts/unknown")).AssertError(HttpStatusCode.NotFound, 11101);
        (await client.DeleteAsync("/inputs", new { ids = new[] { 5 } })).AssertError(HttpStatusCode.BadRequest, 11102);
        (await client.PostAsync("/annotations", new { annotations = new[] { new { input_id = "img4", model_version = new { id = 7 } } } })).AssertError(HttpStatusCode.BadRequest, 11102);
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_apps_annotations()
    {
        var (owner, _, _) = await TenantAsync();
        await InputsAsync(owner, "private");
        var id = Single(await owner.PostAsync("/annotations", new { annotations = new[] { new { input_id = "private" } } }), "annotations").GetProperty("id").GetString();
        var (stranger, _, _) = await TenantAsync();

        Assert.Empty((await stranger.GetAsync("/annotations?list_all_annotations=true")).Ok().GetProperty("annotations").EnumerateArray());
        (await stranger.GetAsync($"/inputs/private/annotations/{id}")).AssertError(HttpStatusCode.NotFound, 11101);
        (await stranger.GetAsync("/inputs/private")).AssertError(HttpStatusCode.NotFound, 11101);
        (await stranger.DeleteAsync("/annotations", new { input_ids = new[] { "private" } })).Ok();
        (await owner.GetAsync($"/inputs/private/annotations/{id}")).Ok();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ClarifaiAnnotationTestsOnPostgres(PostgresFixture fixture) : ClarifaiAnnotationTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ClarifaiAnnotationTestsOnSqlite(SqliteFixture fixture) : ClarifaiAnnotationTests(fixture);
