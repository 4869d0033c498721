namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>The Clarifai objects of a world, in the app that is the world's project: an input and an annotation on it.</summary>
public static class ClarifaiSeed
{
    public static async Task SeedAsync(World world)
    {
        var clarifai = world.Clarifai();
        var input = world["input"] = $"input-{Guid.NewGuid().ToString("N")[..12]}";
        (await clarifai.PostAsync("/inputs", new { inputs = new[] { new { id = input, data = new { image = new { url = $"https://example.com/{world.Marker}.jpg" } } } } })).Ok();
        world["annotation"] = (await clarifai.PostAsync("/annotations",
                new { annotations = new[] { new { input_id = input, data = new { concepts = new[] { new { id = $"{world.Marker}-concept", value = 1 } } } } } }))
            .Ok().GetProperty("annotations")[0].GetProperty("id").GetString()!;
    }
}
