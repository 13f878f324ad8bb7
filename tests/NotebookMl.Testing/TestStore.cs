namespace NotebookMl.Testing;

/// <summary>
/// A test workspace's folder and store: the embedded SQLite file (no configuration), or a fresh database on the shared
/// PostgreSQL server, named by a <c>store:</c> line in the workspace's <c>notebookml.yaml</c>. Disposing it deletes the
/// folder and drops the database. Tests that run on both engines take the engine as a constructor parameter, and one
/// sealed class per engine runs them.
/// </summary>
public sealed class TestStore : IDisposable
{
    public TestStore(bool postgres, string prefix = "notebookml-test-")
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        if (postgres)
        {
            Database = PostgresServer.Shared.CreateDatabase();
            Url = PostgresServer.Shared.Url(Database);
            WriteConfig();
        }
    }

    /// <summary>The workspace root.</summary>
    public string Folder { get; }

    /// <summary>The PostgreSQL URL, or null for the embedded store.</summary>
    public string? Url { get; }

    /// <summary>The database on the shared server, or null for the embedded store.</summary>
    public string? Database { get; }

    /// <summary>What <c>notebookml.yaml</c> starts with: <c>store: URL</c>, or nothing for the embedded store.</summary>
    public string Yaml => Url is null ? "" : $"store: {Url}\n";

    /// <summary>Writes the workspace's <c>notebookml.yaml</c>: the store line, then <paramref name="rest"/>.</summary>
    public void WriteConfig(string rest = "") => File.WriteAllText(Path.Combine(Folder, "notebookml.yaml"), Yaml + rest);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Database is not null)
        {
            PostgresServer.Shared.Execute("postgres", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        }

        Directory.Delete(Folder, recursive: true);
    }
}
