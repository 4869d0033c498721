using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MlOps.Api.ZenMl;

/// <summary>
/// The stack component flavors this server knows: ZenML's built-in ones that run without an integration (what the
/// dashboard's component and stack forms offer), each with the configuration schema its form is drawn from. A component
/// of any other flavor is kept as sent and shown with a flavor of that name and an open schema.
/// </summary>
public static class ZenMlFlavors
{
    public sealed record Flavor(string Name, string Type, string DisplayName, string? Integration, string? LogoUrl, JsonObject ConfigSchema)
    {
        public Guid Id => IdOf(Type, Name);
    }

    private const string Logos = "https://public-flavor-logos.s3.eu-central-1.amazonaws.com";

    // Each with ZenML's logo for it: the dashboard's stack form will not submit a component without one.
    private static readonly Flavor[] BuiltIn =
    [
        Make("local", "orchestrator", "Local Orchestrator", "built-in", $"{Logos}/orchestrator/local.png", Schema("LocalOrchestratorConfig")),
        Make("local_docker", "orchestrator", "Local Docker Orchestrator", "built-in", $"{Logos}/orchestrator/docker.png", Schema("LocalDockerOrchestratorConfig")),
        Make("local", "artifact_store", "Local Artifact Store", "built-in", $"{Logos}/artifact_store/local.svg",
            Schema("LocalArtifactStoreConfig", ("path", "Path", "string", "Path to the local directory holding the artifacts"))),
        Make("default", "container_registry", "Default Container Registry", "built-in", $"{Logos}/container_registry/docker.png",
            Schema("DefaultContainerRegistryConfig", ("uri", "Uri", "string", "The URI of the container registry")), required: ["uri"]),
        Make("local", "image_builder", "Local Image Builder", "built-in", $"{Logos}/image_builder/local.svg", Schema("LocalImageBuilderConfig")),
        Make("local", "deployer", "Local Deployer", "built-in", $"{Logos}/deployer/local.png", Schema("LocalDeployerConfig")),
    ];

    private static Flavor WithRequired(Flavor flavor, string[] required)
    {
        flavor.ConfigSchema["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        return flavor;
    }

    private static Flavor Make(string name, string type, string display, string? integration, string? logo, JsonObject schema, string[]? required = null) =>
        required is null ? new Flavor(name, type, display, integration, logo, schema) : WithRequired(new Flavor(name, type, display, integration, logo, schema), required);

    public static IReadOnlyList<Flavor> All => BuiltIn;

    public static Flavor? Find(string type, string name) => BuiltIn.FirstOrDefault(f => f.Type == type && f.Name == name);

    public static Flavor Custom(string type, string name) => new(name, type, name, null, null, Schema(name));

    public static Guid IdOf(string type, string name)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes($"zenml-flavor:{type}:{name}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }

    public static JsonObject Render(HttpContext http, Flavor f) =>
        ZenMlView.Of(http).Entity(
            new { id = f.Id, name = f.Name, type = f.Type },
            new { created = DateTime.UnixEpoch, updated = DateTime.UnixEpoch, type = f.Type, display_name = f.DisplayName, integration = f.Integration,
                source = $"zenml.flavors.{f.Type}.{f.Name}", logo_url = f.LogoUrl, is_custom = f.Integration is null },
            new { config_schema = f.ConfigSchema },
            ZenMlView.Of(http).Resources(null));

    private static JsonObject Schema(string title, params (string Name, string Title, string Type, string Description)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, propertyTitle, type, description) in properties)
        {
            props[name] = new JsonObject { ["title"] = propertyTitle, ["type"] = type, ["description"] = description };
        }
        return new JsonObject { ["title"] = title, ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
    }
}
