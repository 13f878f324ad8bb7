using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Blobs in an S3 bucket under a prefix (<c>artifacts: s3://bucket/prefix</c>): AWS, or any S3-compatible store
/// (MinIO, Ceph, s3rver) through a custom endpoint with path-style addressing. Credentials come from the standard chain
/// (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, a profile, an instance role); the endpoint from
/// <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>; the region from <c>AWS_REGION</c> (default us-east-1).
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3BlobStore(string bucket, string prefix, string? endpoint, string region)
    {
        _bucket = bucket;
        _prefix = prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
        var config = new AmazonS3Config
        {
            AuthenticationRegion = region,
            // S3-compatible stores take checksums only where S3 requires them, and no chunked uploads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        _client = new AmazonS3Client(config);
        Location = $"s3://{bucket}/{_prefix}".TrimEnd('/');
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public bool Exists(string key) => Call(async () =>
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, _prefix + key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    });

    /// <inheritdoc/>
    public void Put(string key, string localFile) => Call(async () =>
    {
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = _prefix + key, FilePath = localFile, UseChunkEncoding = false });
        return true;
    });

    /// <inheritdoc/>
    public bool TryGet(string key, string localFile) => Call(async () =>
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, _prefix + key);
            var temporary = localFile + $".incoming-{Guid.NewGuid():N}";
            await using (var file = File.Create(temporary))
            {
                await response.ResponseStream.CopyToAsync(file);
            }

            File.Move(temporary, localFile, overwrite: true);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    });

    /// <inheritdoc/>
    public void Delete(string key) => Call(async () =>
    {
        await _client.DeleteObjectAsync(_bucket, _prefix + key);
        return true;
    });

    /// <inheritdoc/>
    public IEnumerable<string> List(string prefix) => Call(async () =>
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key[_prefix.Length..]));
            if (page.IsTruncated != true)
            {
                return keys;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    });

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private T Call<T>(Func<Task<T>> work)
    {
        try
        {
            return work().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or AmazonClientException or TaskCanceledException or IOException && e is not AmazonS3Exception)
        {
            throw new StoreAccessException($"{Location}: the artifact store cannot be reached: {e.Message}", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden)
        {
            throw new StoreAccessException($"{Location}: access denied ({e.ErrorCode}); the credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile.", e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new StoreAccessException($"{Location}: the bucket '{_bucket}' does not exist.", e);
        }
    }
}
