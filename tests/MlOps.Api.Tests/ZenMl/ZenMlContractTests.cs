using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl;

/// <summary>The seed validator itself: it must reject what the seed's schemas reject, or the surface tests prove nothing.</summary>
public sealed class ZenMlContractTests
{
    private static ZenMlContract Seed => ZenMlContract.Seed.Value;

    [Fact]
    public void The_seed_has_its_25_operations() => Assert.Equal(25, Seed.Operations.Count);

    [Theory]
    [InlineData("{\"id\": \"not-a-uuid\", \"name\": \"p\"}")]
    [InlineData("{\"name\": 5}")]
    [InlineData("{\"created\": \"yesterday\"}")]
    [InlineData("{\"spec\": [1]}")]
    public void A_pipeline_body_breaking_the_schema_is_rejected(string body) =>
        Assert.NotEmpty(Seed.Validate("GET", "/pipelines/{pipeline_id}", 200, body));

    [Fact]
    public void Pages_and_enums_are_checked_through_references()
    {
        Assert.NotEmpty(Seed.Validate("GET", "/runs", 200, "{\"index\": 1, \"items\": [{\"status\": \"exploded\"}]}"));
        Assert.NotEmpty(Seed.Validate("GET", "/stacks", 200, "{\"total\": \"many\", \"items\": []}"));
        Assert.Empty(Seed.Validate("GET", "/runs", 200, "{\"index\": 1, \"max_size\": 20, \"total_pages\": 1, \"total\": 1, \"items\": [{\"status\": \"cached\"}]}"));
    }
}
