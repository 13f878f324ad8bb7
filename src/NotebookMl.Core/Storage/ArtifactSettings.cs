using NotebookMl.Core.Workspaces;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Where a workspace's artifact bytes live (ONNX files, run artifacts, reference statistics): <c>NOTEBOOKML_ARTIFACTS</c>
/// when set, else <c>artifacts:</c> in <c>notebookml.yaml</c>, else the state folder <c>.notebookml/</c>. A shared root is
/// <c>file:///shared/path</c> or <c>s3://bucket/prefix</c> (with <c>?endpoint=URL</c> and <c>&amp;region=NAME</c> for an
/// S3-compatible store, or the standard <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL</c> and <c>AWS_REGION</c>).
/// Credentials never come from the file.
/// </summary>
public static class ArtifactSettings
{
    /// <summary>The environment variable that names the artifact root, overriding <c>notebookml.yaml</c>.</summary>
    public const string ArtifactsVariable = "NOTEBOOKML_ARTIFACTS";

    /// <summary>The area of the root that holds the monitoring files' bytes (prediction logs, late labels, drift history).</summary>
    public const string MonitoringArea = "monitoring-files";

    /// <summary>The content store of <paramref name="area"/> (<c>artifacts</c>, <c>registry</c>) in <paramref name="workspace"/>'s artifact root.</summary>
    public static ContentStore Open(WorkspaceLocation workspace, string area) =>
        new(Of(workspace), area, Path.Combine(workspace.StateFolder, "cache"));

    /// <summary>
    /// Whether <paramref name="workspace"/> names an artifact root of its own (<c>artifacts:</c> or
    /// <c>NOTEBOOKML_ARTIFACTS</c>), which other workspaces may share, rather than keeping its bytes in <c>.notebookml/</c>.
    /// </summary>
    public static bool IsShared(WorkspaceLocation workspace) =>
        Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } || WorkspaceConfiguration.Section(workspace, "artifacts") is not null;

    /// <summary>The artifact root <paramref name="workspace"/> names.</summary>
    public static IBlobStore Of(WorkspaceLocation workspace)
    {
        if (Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } url)
        {
            return Parse(url.Trim(), ArtifactsVariable, workspace.Root);
        }

        if (WorkspaceConfiguration.Section(workspace, "artifacts") is not { } node)
        {
            return new FolderBlobStore(workspace.StateFolder);
        }

        var origin = $"{workspace.ConfigFile}:{node.Start.Line}";
        return node is YamlScalarNode { Value: { Length: > 0 } value }
            ? Parse(value.Trim(), origin, workspace.Root)
            : throw new InvalidDataException($"{origin}: artifacts: expected a URL such as s3://bucket/prefix or file:///shared/path.");
    }

    /// <summary>Reads an artifact root URL; <paramref name="origin"/> names where it came from in messages.</summary>
    public static IBlobStore Parse(string url, string origin, string baseFolder)
    {
        if (url.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = Uri.UnescapeDataString(url["file://".Length..]);
            return new FolderBlobStore(Path.GetFullPath(path, baseFolder));
        }

        if (!url.StartsWith("s3://", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new InvalidDataException($"{origin}: artifacts: expected s3://BUCKET/PREFIX or file:///PATH, got '{url}'.");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new InvalidDataException($"{origin}: artifacts: the URL carries credentials; remove them and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or use a profile).");
        }

        string? endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") is { Length: > 0 } s3 ? s3
            : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } any ? any : null;
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
            switch (key)
            {
                case "endpoint":
                    endpoint = Uri.TryCreate(value, UriKind.Absolute, out var e) && e.Scheme is "http" or "https" ? value : throw new InvalidDataException($"{origin}: artifacts: endpoint: expected http(s)://HOST:PORT, got '{value}'.");
                    break;
                case "region":
                    region = value;
                    break;
                default:
                    throw new InvalidDataException($"{origin}: artifacts: unknown URL parameter '{key}'; expected: endpoint, region.");
            }
        }

        return new S3BlobStore(uri.Host, Uri.UnescapeDataString(uri.AbsolutePath), endpoint, region);
    }
}
