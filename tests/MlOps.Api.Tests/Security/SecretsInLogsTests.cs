using System.Net.Http.Headers;
using System.Text;
using MlOps.Api.Tests.Infrastructure;

namespace MlOps.Api.Tests.Security;

/// <summary>
/// Passwords, key secrets, API keys, tokens and secret values used against a running server (logging at Debug) never
/// appear in its log output, whether the call succeeded or failed.
/// </summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task No_credential_or_secret_value_reaches_the_log()
    {
        const string wrongPassword = "wrong-password-7d1c9e";
        const string secretValue = "zenml-secret-value-51b3a0";
        await using var server = new ServerProcess("Sqlite", "", Path.Combine(Path.GetTempPath(), "mlops-logs-" + Guid.NewGuid().ToString("N")),
            new Dictionary<string, string> { ["Serilog__MinimumLevel__Default"] = "Debug" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var clearMl = await new ClearMlClient(http).LoginAsync(MlOpsFactory.AccessKey, MlOpsFactory.SecretKey);
        (await new ClearMlClient(http).LoginRawAsync("admin", "admin-password")).Ok();
        (await new ClearMlClient(http).LoginRawAsync(MlOpsFactory.AccessKey, wrongPassword)).AssertError(401, 22);
        var zen = await ZenMlClient.LoginAsync(http, "admin", "admin-password");
        (await zen.LoginRawAsync("admin", wrongPassword)).AssertError(System.Net.HttpStatusCode.Unauthorized, "AuthorizationException");
        (await zen.PostAsync("/secrets", new { name = "db", values = new { password = secretValue } })).Ok();
        (await new CometClient(http, MlOpsFactory.ApiKey).GetAsync("account-details")).Ok();
        (await new CometClient(http, "not-a-key-" + wrongPassword).GetAsync("account-details")).AssertError(System.Net.HttpStatusCode.Unauthorized);
        (await new ClarifaiClient(http, "Key " + MlOpsFactory.ApiKey).GetAsync("/inputs")).Ok();
        var files = new HttpRequestMessage(HttpMethod.Get, "/files/nothing/here") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", clearMl.Token) } };
        await http.SendAsync(files);
        await server.KillAsync();

        var log = server.Output;
        Assert.Contains("HTTP", log);
        foreach (var secret in new[] { MlOpsFactory.SecretKey, MlOpsFactory.ApiKey, "admin-password", wrongPassword, secretValue, clearMl.Token!, zen.Token! })
        {
            Assert.DoesNotContain(secret, log);
        }
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MlOpsFactory.AccessKey}:{MlOpsFactory.SecretKey}")), log);
    }
}
