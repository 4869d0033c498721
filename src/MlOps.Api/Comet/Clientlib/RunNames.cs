namespace MlOps.Api.Comet.Clientlib;

/// <summary>
/// The name a run gets until the script sets one, in Comet's style (<c>adjective_animal_1234</c>), derived from its
/// key so that the same key always reads the same.
/// </summary>
public static class RunNames
{
    private static readonly string[] Adjectives =
        ["able", "bold", "brave", "calm", "clever", "eager", "fair", "gentle", "happy", "keen", "lively", "lucky", "proud", "quick", "silent", "swift"];

    private static readonly string[] Animals =
        ["badger", "bison", "crane", "falcon", "ferret", "gecko", "heron", "ibis", "lynx", "marten", "otter", "owl", "panda", "raven", "stoat", "wombat"];

    public static string For(Guid key)
    {
        var bytes = key.ToByteArray();
        return $"{Adjectives[bytes[0] % Adjectives.Length]}_{Animals[bytes[1] % Animals.Length]}_{BitConverter.ToUInt16(bytes, 2) % 10_000}";
    }
}
