using System.Text.Json;
using System.Text.RegularExpressions;
using static MlOps.Api.ZenMl.ZenMlConnectorTypes;

namespace MlOps.Api.ZenMl;

/// <summary>
/// A connector configuration checked as ZenML's server checks it before answering <c>/service_connectors/verify</c>:
/// its type, auth method, resource types and required fields, a failure being a 400 <c>ValueError</c>. What follows
/// needs the remote service: ZenML's Docker connector, on a server without a Docker daemon, names the registry its
/// configuration points at without logging in, and so does this server; for the cloud, Kubernetes and HyperAI types it
/// cannot reach, the answer carries an <c>error</c> saying so, which the dashboard shows beside its "register without
/// validation" switch.
/// </summary>
public static partial class ZenMlConnectorVerification
{
    public sealed record ServiceConnectorTypedResourcesModel(string ResourceType, List<string>? ResourceIds, string? Error);

    public sealed record ServiceConnectorResourcesModel(
        Guid? Id, string? Name, ServiceConnectorTypeModel ConnectorType, List<ServiceConnectorTypedResourcesModel> Resources, string? Error);

    private const string DockerHub = "docker.io";

    public static ServiceConnectorResourcesModel Verify(string connectorType, string authMethod, IReadOnlyList<string>? resourceTypes, JsonElement? configuration)
    {
        var type = Find(connectorType) ?? throw ZenMlException.NotFound(NotAvailable(connectorType));
        var method = type.AuthMethods.FirstOrDefault(m => m.AuthMethod == authMethod) ?? throw Invalid(
            $"connector type '{type.ConnectorType}' does not support the '{authMethod}' authentication method. Supported authentication methods are: {string.Join(", ", type.AuthMethods.Select(m => m.AuthMethod))}");
        // One resource type scopes the connector to it; none or several make it a multi-type connector of all its type's.
        var scope = resourceTypes is [var single] ? [Single(type, single, authMethod)] : type.ResourceTypes.Select(r => r.ResourceType).ToList();
        var values = Values(configuration, method);

        if (type.ConnectorType == "docker")
        {
            var registry = Registry(values.GetValueOrDefault("registry") is { Length: > 0 } url ? url : DockerHub);
            return new(null, null, type, scope.Select(r => new ServiceConnectorTypedResourcesModel(r, [registry], null)).ToList(), null);
        }
        var unreachable = $"this server cannot reach {type.Name}'s services to check these credentials; register the connector without validation";
        return new(null, null, type, scope.Select(r => new ServiceConnectorTypedResourcesModel(r, null, unreachable)).ToList(), unreachable);
    }

    private static string Single(ServiceConnectorTypeModel type, string resourceType, string authMethod)
    {
        var spec = type.ResourceTypes.FirstOrDefault(r => r.ResourceType == resourceType)
            ?? throw Invalid($"connector type '{type.ConnectorType}' does not support resource type '{resourceType}'");
        return spec.AuthMethods.Contains(authMethod)
            ? resourceType
            : throw Invalid($"the '{resourceType}' resource type does not support the '{authMethod}' authentication method");
    }

    /// <summary>The configuration's values, every field the auth method requires given (others are ignored, as ZenML ignores them).</summary>
    private static Dictionary<string, string?> Values(JsonElement? configuration, AuthenticationMethodModel method)
    {
        if (configuration is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            throw ZenMlException.Invalid("value is not a valid dict", "body", "configuration");
        }
        var values = configuration is { ValueKind: JsonValueKind.Object } given
            ? given.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())
            : [];
        var required = method.ConfigSchema["required"]!.AsArray().Select(r => r!.GetValue<string>());
        if (required.FirstOrDefault(r => string.IsNullOrEmpty(values.GetValueOrDefault(r))) is { } missing)
        {
            throw Invalid($"missing required attribute '{missing}'");
        }
        return values;
    }

    /// <summary>A registry as ZenML's Docker connector names it: the host of its URL, DockerHub's <c>index.docker.io</c> as <c>docker.io</c>.</summary>
    private static string Registry(string url)
    {
        if (!RegistryUrl().IsMatch(url))
        {
            throw Invalid($"Invalid resource ID for a Docker registry: {url}. Please provide a valid repository name or URL");
        }
        var host = url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal) ? url.Split('/')[2] : url.Split('/')[0];
        return host == $"index.{DockerHub}" ? DockerHub : host;
    }

    private static ZenMlException Invalid(string message) => new(400, "ValueError", $"connector configuration is not valid: {message}");

    [GeneratedRegex(@"^(https?://)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*(:[0-9]+)?(/.+)*$")]
    private static partial Regex RegistryUrl();
}
