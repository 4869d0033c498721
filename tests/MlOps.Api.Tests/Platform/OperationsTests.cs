using System.Net;
using System.Text.Json;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Platform;

[Collection(PostgresCollection.Name)]
public sealed class OperationsTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        var response = await fixture.Factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_server_refuses_to_start_when_its_database_is_unreachable()
    {
        var unreachable = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2";
        await using var factory = new MlOpsFactory("Postgres", unreachable, Path.GetTempPath());

        var error = await Record.ExceptionAsync(() => Task.FromResult(factory.Server));

        Assert.NotNull(error);
    }

    [Fact]
    public async Task Swagger_documents_each_surface_under_its_own_tag()
    {
        var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var login = document.GetProperty("paths").GetProperty("/auth.login");
        Assert.Equal("ClearML", login.GetProperty("get").GetProperty("tags")[0].GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/tasks.get_all", out _));
        var metadata = document.GetProperty("paths").GetProperty("/api/rest/v2/experiment/metadata");
        Assert.Equal("Comet", metadata.GetProperty("get").GetProperty("tags")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }
}
