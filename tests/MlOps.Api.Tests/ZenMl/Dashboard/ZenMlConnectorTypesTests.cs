using System.Net;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.ZenMl.Dashboard;

/// <summary>The connector types the dashboard's connector form lists and draws its configuration fields from.</summary>
public abstract class ZenMlConnectorTypesTests(IServerFixture fixture)
{
    [Fact]
    public async Task Connector_types_list_zenmls_builtin_ones_filtered_by_resource_type_and_auth_method()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;

        var all = (await zen.GetAsync("/service_connector_types")).Ok();
        Assert.Equal(["aws", "gcp", "azure", "kubernetes", "docker", "hyperai"], all.EnumerateArray().Select(t => t.GetProperty("connector_type").GetString()));
        var buckets = (await zen.GetAsync("/service_connector_types?resource_type=s3-bucket")).Ok();
        Assert.Equal("aws", Assert.Single(buckets.EnumerateArray()).GetProperty("connector_type").GetString());
        var tokens = (await zen.GetAsync("/service_connector_types?auth_method=token")).Ok();
        Assert.Equal("kubernetes", Assert.Single(tokens.EnumerateArray()).GetProperty("connector_type").GetString());
        Assert.Equal(0, (await zen.GetAsync("/service_connector_types?connector_type=none")).Ok().GetArrayLength());
    }

    [Fact]
    public async Task A_connector_type_carries_resource_types_and_auth_methods_with_their_configuration_schema()
    {
        var zen = (await DashboardTenant.CreateAsync(fixture)).Client;

        var aws = (await zen.GetAsync("/service_connector_types/aws")).Ok();
        Assert.Equal("AWS Service Connector", aws.GetProperty("name").GetString());
        Assert.True(aws.GetProperty("supports_auto_configuration").GetBoolean());
        var bucket = aws.GetProperty("resource_types").EnumerateArray().Single(r => r.GetProperty("resource_type").GetString() == "s3-bucket");
        Assert.True(bucket.GetProperty("supports_instances").GetBoolean());
        Assert.Contains("secret-key", bucket.GetProperty("auth_methods").EnumerateArray().Select(m => m.GetString()));
        var secretKey = aws.GetProperty("auth_methods").EnumerateArray().Single(m => m.GetProperty("auth_method").GetString() == "secret-key");
        var schema = secretKey.GetProperty("config_schema");
        Assert.Equal(["region", "aws_access_key_id", "aws_secret_access_key"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var secret = schema.GetProperty("properties").GetProperty("aws_secret_access_key");
        Assert.Equal("string", secret.GetProperty("type").GetString());
        Assert.True(secret.GetProperty("sensitive").GetBoolean());
        var endpoint = schema.GetProperty("properties").GetProperty("endpoint_url");
        Assert.Equal("null", endpoint.GetProperty("anyOf")[1].GetProperty("type").GetString());
        var role = aws.GetProperty("auth_methods").EnumerateArray().Single(m => m.GetProperty("auth_method").GetString() == "iam-role");
        Assert.Equal(3600, role.GetProperty("default_expiration_seconds").GetInt32());

        (await zen.GetAsync("/service_connector_types/mainframe")).AssertError(HttpStatusCode.NotFound, "KeyError");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ZenMlConnectorTypesTestsOnPostgres(PostgresFixture fixture) : ZenMlConnectorTypesTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ZenMlConnectorTypesTestsOnSqlite(SqliteFixture fixture) : ZenMlConnectorTypesTests(fixture);
