using System.Security.Cryptography;

namespace MlOps.Data.Blobs;

/// <summary>Counts and hashes what passes into a store, refusing it past the size limit.</summary>
internal sealed class BlobIntake(long maxBytes) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Size += bytes.Length;
        if (Size > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes);
        }
        _hash.AppendData(bytes);
    }

    public BlobContent Complete() => new(Convert.ToHexStringLower(_hash.GetHashAndReset()), Size);

    /// <summary>The relative name of a content: two levels of fan-out so no directory (or listing) holds millions.</summary>
    public static string RelativeName(string sha256, char separator) => $"{sha256[..2]}{separator}{sha256[2..4]}{separator}{sha256}";

    public void Dispose() => _hash.Dispose();
}
