using System.Buffers;
using System.Diagnostics;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using Microsoft.Extensions.Logging;

namespace MlOps.Data.Blobs;

/// <summary>
/// Blobs as objects of one bucket, keyed by content like the file system store (<c>ab/cd/abcd…</c>). A body that fits in
/// one part is hashed in memory and PUT under its key. A larger one cannot be named before it has been read to the end,
/// so it goes up as a multipart upload to a staging key while it is hashed, then is copied server-side to its content
/// key (unless that content is already stored) and the staging object deleted: memory holds two parts at most, and an
/// object appears under a content key only complete.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>The largest object a single CopyObject may copy; larger ones are copied part by part.</summary>
    private const long LargestSingleCopy = 5L * 1024 * 1024 * 1024;

    private const string StagingPrefix = "staging/";

    private readonly AmazonS3Client _client;
    private readonly ILogger<S3BlobStore> _logger;
    private readonly string _bucket;
    private readonly int _partSize;

    public S3BlobStore(S3BlobSettings settings, ILogger<S3BlobStore> logger)
    {
        _logger = logger;
        _bucket = settings.Bucket ?? throw new ArgumentException("the S3 blob store needs a bucket", nameof(settings));
        _partSize = settings.PartSizeBytes;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.UsesPathStyle,
            // The flexible checksums AWSSDK 4 sends by default are refused by Ceph RGW and older MinIO; MD5/SigV4 still guard the bytes.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        else
        {
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = settings.Region;
        }
        _client = string.IsNullOrEmpty(settings.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        Description = $"S3 (bucket {_bucket} at {settings.ServiceUrl ?? settings.Region})";
    }

    public string Description { get; }

    public async Task PrepareAsync(CancellationToken ct)
    {
        if (await AmazonS3Util.DoesS3BucketExistV2Async(_client, _bucket))
        {
            return;
        }
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Another replica created it first.
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        try
        {
            return await AmazonS3Util.DoesS3BucketExistV2Async(_client, _bucket);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            _logger.LogWarning(e, "The S3 blob store {BlobStore} does not answer", Description);
            return false;
        }
    }

    public async Task<BlobContent> WriteAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        try
        {
            return await WriteAnswerAsync(content, maxBytes, ct);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(e);
        }
    }

    private async Task<BlobContent> WriteAnswerAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        using var intake = new BlobIntake(maxBytes);
        var first = ArrayPool<byte>.Shared.Rent(_partSize);
        try
        {
            var filled = await FillAsync(content, first, intake, ct);
            if (filled < _partSize)
            {
                var small = intake.Complete();
                await PutAsync(KeyOf(small.Sha256), first, filled, ct);
                return small;
            }
            var staging = StagingPrefix + Guid.NewGuid().ToString("N");
            var started = Stopwatch.GetTimestamp();
            await UploadInPartsAsync(staging, content, first, intake, ct);
            var uploaded = Stopwatch.GetElapsedTime(started);
            var written = intake.Complete();
            try
            {
                var copied = !await ExistsAsync(written.Sha256, ct);
                if (copied)
                {
                    await CopyAsync(staging, KeyOf(written.Sha256), written.Size, ct);
                }
                _logger.LogDebug(
                    "Blob {Sha256} ({Size} bytes) uploaded in parts in {UploadMs:F0} ms, {Outcome} in {CopyMs:F0} ms",
                    written.Sha256, written.Size, uploaded.TotalMilliseconds, copied ? "copied to its content key" : "already stored",
                    (Stopwatch.GetElapsedTime(started) - uploaded).TotalMilliseconds);
            }
            finally
            {
                await _client.DeleteObjectAsync(_bucket, staging, CancellationToken.None);
            }
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct)
    {
        var key = KeyOf(sha256);
        try
        {
            var response = await _client.GetObjectAsync(_bucket, key, ct);
            return new S3ObjectReadStream(_client, _bucket, key, response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(e);
        }
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken ct)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, KeyOf(sha256), ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(e);
        }
    }

    /// <summary>The store failed, not the caller: it did not answer, or refused the server (its keys, its bucket).</summary>
    private static bool IsUnreachable(Exception e) => e is AmazonServiceException or HttpRequestException;

    private Repositories.DomainException Unreachable(Exception e)
    {
        _logger.LogWarning(e, "The S3 blob store {BlobStore} failed", Description);
        return new Repositories.DomainException(Repositories.DomainError.Unavailable, Repositories.EntityKind.Blob,
            "the file store cannot be reached; try again later");
    }

    public void Dispose() => _client.Dispose();

    private static string KeyOf(string sha256) => BlobIntake.RelativeName(sha256, '/');

    /// <summary>Reads until the part is full or the content ends; returns how much the part holds.</summary>
    private async Task<int> FillAsync(Stream content, byte[] buffer, BlobIntake intake, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < _partSize && (read = await content.ReadAsync(buffer.AsMemory(filled, _partSize - filled), ct)) > 0)
        {
            intake.Append(buffer.AsSpan(filled, read));
            filled += read;
        }
        return filled;
    }

    private Task PutAsync(string key, byte[] buffer, int count, CancellationToken ct) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = key, InputStream = new MemoryStream(buffer, 0, count, writable: false), UseChunkEncoding = false,
        }, ct);

    /// <summary>
    /// The content (whose first part, full, is already in <paramref name="first"/>) as a multipart upload: each part is sent while
    /// the next is read from the client. Nothing is left behind when it fails.
    /// </summary>
    private async Task UploadInPartsAsync(string key, Stream content, byte[] first, BlobIntake intake, CancellationToken ct)
    {
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct);
        byte[][] buffers = [first, ArrayPool<byte>.Shared.Rent(_partSize)];
        var parts = new List<PartETag>();
        Task<UploadPartResponse>? sending = null;
        try
        {
            var current = 0;
            var filled = _partSize;
            while (filled > 0)
            {
                if (sending is not null)
                {
                    parts.Add(new PartETag(parts.Count + 1, (await sending).ETag));
                }
                sending = _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = parts.Count + 1, PartSize = filled,
                    InputStream = new MemoryStream(buffers[current], 0, filled, writable: false), UseChunkEncoding = false,
                }, ct);
                current = 1 - current;
                filled = await FillAsync(content, buffers[current], intake, ct);
            }
            parts.Add(new PartETag(parts.Count + 1, (await sending!).ETag));
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, ct);
        }
        catch
        {
            await ObserveAsync(sending);
            await _client.AbortMultipartUploadAsync(_bucket, key, upload.UploadId, CancellationToken.None);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    /// <summary>A part still being sent when the upload fails must finish before its buffer goes back to the pool.</summary>
    private static async Task ObserveAsync(Task? sending)
    {
        if (sending is not null)
        {
            try
            {
                await sending;
            }
            catch (Exception)
            {
                // The upload is being abandoned; the original failure is the one that matters.
            }
        }
    }

    private async Task CopyAsync(string source, string destination, long size, CancellationToken ct)
    {
        if (size <= LargestSingleCopy)
        {
            await _client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = _bucket, SourceKey = source, DestinationBucket = _bucket, DestinationKey = destination,
            }, ct);
            return;
        }
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = destination }, ct);
        try
        {
            var parts = new List<PartETag>();
            for (long first = 0; first < size; first += LargestSingleCopy)
            {
                var copied = await _client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = _bucket, SourceKey = source, DestinationBucket = _bucket, DestinationKey = destination,
                    UploadId = upload.UploadId, PartNumber = parts.Count + 1, FirstByte = first, LastByte = Math.Min(first + LargestSingleCopy, size) - 1,
                }, ct);
                parts.Add(new PartETag(parts.Count + 1, copied.ETag));
            }
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = destination, UploadId = upload.UploadId, PartETags = parts }, ct);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(_bucket, destination, upload.UploadId, CancellationToken.None);
            throw;
        }
    }
}
