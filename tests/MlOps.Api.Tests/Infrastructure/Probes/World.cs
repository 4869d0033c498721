using System.Text.RegularExpressions;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>
/// One workspace's objects on every surface, seeded through the surfaces as clients make them, named by placeholder
/// (<c>$task</c>, <c>$project</c>, <c>$experiment</c>, ...) so that one written request can be aimed at any world.
/// Names and contents carry the world's marker, so an answer that contains it shows this world's data.
/// </summary>
public sealed partial class World(MlOpsFactory factory, Caller caller, IssuedCredentials keys, string marker)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public MlOpsFactory Factory => factory;
    public Caller Caller => caller;
    public IssuedCredentials Keys => keys;
    public string Marker => marker;
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The workspace's id, read from the credentials' owner.</summary>
    public Guid WorkspaceId { get; set; }

    public string this[string name]
    {
        get => _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"the world has no ${name}");
        set
        {
            // Seeds of different surfaces share one namespace: a name given twice would silently aim probes at the wrong object.
            if (!_values.TryAdd(name, value))
            {
                throw new InvalidOperationException($"${name} is seeded twice");
            }
        }
    }

    public ClearMlClient ClearMl() => new(factory.CreateClient()) { Token = caller.ClearMlToken };

    public CometClient Comet() => new(factory.CreateClient(), caller.ApiKey);

    public ZenMlClient ZenMl() => new(factory.CreateClient()) { Token = caller.ClearMlToken };

    public MlflowClient Mlflow() => MlflowClient.WithToken(factory.CreateClient(), caller.ApiKey);

    public ClarifaiClient Clarifai() => new ClarifaiClient(factory.CreateClient(), "Key " + caller.ApiKey).OnApp("me", this["projectName"]);

    [GeneratedRegex(@"\$(?<name>[A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex Placeholder();

    /// <summary>
    /// The text with every <c>$name</c> replaced by this world's value; <c>$unique</c> (a name) and <c>$uniqueKey</c>
    /// (32 hex digits, a key a client chooses) are new at each call, so creates do not collide. A placeholder the world
    /// lacks fails the test that wrote it.
    /// </summary>
    public string Fill(string text)
    {
        var unique = "u" + Guid.NewGuid().ToString("N")[..12];
        var uniqueKey = Guid.NewGuid().ToString("N");
        return Placeholder().Replace(text, m => m.Groups["name"].Value switch
        {
            "unique" => unique,
            "uniqueKey" => uniqueKey,
            var name => this[name],
        });
    }

    /// <summary>A new workspace, its caller, and its objects on every surface.</summary>
    public static async Task<World> SeedAsync(MlOpsFactory factory, string? marker = null)
    {
        var keys = await factory.CreateTenantAsync();
        var clearMl = await factory.ClearMl().LoginAsync(keys.AccessKey, keys.SecretKey);
        var world = new World(factory, new Caller(clearMl.Token!, keys.ApiKey), keys, marker ?? "mk" + Guid.NewGuid().ToString("N"));
        await ClearMlSeed.SeedAsync(world);
        await ClearMlTaskSeed.SeedAsync(world);
        await ClearMlServicesSeed.SeedAsync(world);
        await CometSeed.SeedAsync(world);
        await ZenMlSeed.SeedAsync(world);
        await ClarifaiSeed.SeedAsync(world);
        await MlflowSeed.SeedAsync(world);
        return world;
    }
}
