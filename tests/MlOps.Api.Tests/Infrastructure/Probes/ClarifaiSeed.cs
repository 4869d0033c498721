namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// The Clarifai objects of a world, in the app that is the world's project: an input with a concept, an annotation on it
/// made in a labeling task, a saved annotation filter and an annotation search evaluation. Ids carry no marker (an
/// error may name the id it was asked for); names and data do.
/// </summary>
public static class ClarifaiSeed
{
    public static async Task SeedAsync(World world)
    {
        var clarifai = world.Clarifai();
        var marker = world.Marker;
        var token = Guid.NewGuid().ToString("N")[..12];
        var input = world["input"] = $"input-{token}";
        var concept = world["concept"] = $"concept-{token}";
        var task = world["labelTask"] = $"task-{token}";
        world["annotationFilter"] = $"filter-{token}";
        world["evaluation"] = $"eval-{token}";
        (await clarifai.PostAsync("/inputs", new
        {
            inputs = new[]
            {
                new { id = input, data = new { image = new { url = $"https://example.com/{marker}.jpg" }, concepts = new[] { new { id = concept, name = $"{marker}-concept", value = 1 } } } },
            },
        })).Ok();
        world["annotation"] = (await clarifai.PostAsync("/annotations",
                new { annotations = new[] { new { input_id = input, task_id = task, data = new { concepts = new[] { new { id = concept, value = 1 } } } } } }))
            .Ok().GetProperty("annotations")[0].GetProperty("id").GetString()!;
        var byTask = new { query = new { filters = new[] { new { annotation = new { task_id = task } } } } };
        (await clarifai.PostAsync("/annotation_filters",
            new { annotation_filters = new[] { new { id = world["annotationFilter"], name = $"{marker}-filter", search = byTask } } })).Ok();
        (await clarifai.PostAsync("/annotations/searches/metrics", new
        {
            id = world["evaluation"],
            ground_truth = byTask,
            search_to_eval = new { query = new { filters = new[] { new { annotation = new { input_id = input } } } } },
        })).Ok();
    }
}
