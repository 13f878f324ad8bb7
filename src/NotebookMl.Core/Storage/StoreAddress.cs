using Npgsql;

namespace NotebookMl.Core.Storage;

/// <summary>The engines a workspace store runs on.</summary>
public enum StoreEngine
{
    /// <summary>The embedded default: one SQLite file (<c>.notebookml/workspace.db</c>).</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database (<c>store: postgresql://…</c>).</summary>
    PostgreSql,
}

/// <summary>
/// Where a workspace's store is: the embedded SQLite file, or a PostgreSQL URL
/// (<c>postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full</c>). Credentials never come from the URL of a file
/// that gets committed: the password comes from <c>PGPASSWORD</c> or <c>~/.pgpass</c>, as for every PostgreSQL client.
/// </summary>
public sealed record StoreAddress(StoreEngine Engine, string Target, string Display)
{
    private static readonly string[] s_queryKeys = ["sslmode", "sslrootcert", "application_name", "connect_timeout", "search_path"];

    /// <summary>The embedded store in the SQLite file <paramref name="path"/>.</summary>
    public static StoreAddress Sqlite(string path) => new(StoreEngine.Sqlite, Path.GetFullPath(path), Path.GetFullPath(path));

    /// <summary>
    /// Reads a store URL. <paramref name="origin"/> names where it came from in messages (<c>notebookml.yaml:3</c>,
    /// <c>NOTEBOOKML_STORE</c>); <paramref name="allowPassword"/> is false for files (a URL with a password is refused).
    /// A relative <c>sqlite:PATH</c> is relative to <paramref name="baseFolder"/>.
    /// </summary>
    public static StoreAddress Parse(string url, string origin, bool allowPassword, string baseFolder)
    {
        if (!url.StartsWith("postgresql://", StringComparison.Ordinal) && !url.StartsWith("postgres://", StringComparison.Ordinal))
        {
            if (url.StartsWith("sqlite:", StringComparison.Ordinal))
            {
                var path = url.StartsWith("sqlite://", StringComparison.Ordinal) ? url["sqlite://".Length..] : url["sqlite:".Length..];
                return Sqlite(Path.Combine(baseFolder, path));
            }

            throw new InvalidDataException($"{origin}: store: expected postgresql://USER@HOST:PORT/DATABASE or sqlite:PATH, got '{url}'.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidDataException($"{origin}: store: '{url}' is not a URL; expected postgresql://USER@HOST:PORT/DATABASE.");
        }

        var user = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } database ? database : null,
            ApplicationName = "notebookml",
        };
        if (user.Length > 0)
        {
            builder.Username = user;
        }

        if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            if (!allowPassword)
            {
                throw new InvalidDataException($"{origin}: store: the URL carries a password, and this file may be committed; remove it and set PGPASSWORD or add it to ~/.pgpass.");
            }

            builder.Password = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = SslModeOf(value, origin);
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(value, out var seconds) && seconds > 0 ? seconds : throw new InvalidDataException($"{origin}: store: connect_timeout: expected whole seconds, got '{value}'.");
                    break;
                case "search_path":
                    builder.SearchPath = value;
                    break;
                default:
                    throw new InvalidDataException($"{origin}: store: unknown URL parameter '{key}'; expected: {string.Join(", ", s_queryKeys)}.");
            }
        }

        if (Environment.GetEnvironmentVariable("PGSSLMODE") is { Length: > 0 } mode && !uri.Query.Contains("sslmode=", StringComparison.Ordinal))
        {
            builder.SslMode = SslModeOf(mode, "PGSSLMODE");
        }

        var display = $"postgresql://{(user.Length > 0 ? user + "@" : "")}{uri.Host}:{builder.Port}/{builder.Database}";
        return new StoreAddress(StoreEngine.PostgreSql, builder.ConnectionString, display);
    }

    private static SslMode SslModeOf(string value, string origin) => value switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new InvalidDataException($"{origin}: sslmode: expected disable, allow, prefer, require, verify-ca or verify-full, got '{value}'."),
    };
}
