using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// TLS to the store as libpq's sslmode says: <c>verify-full</c> refuses a server whose certificate no trusted root signed
/// (one line, exit 1, nothing written); <c>require</c> encrypts without checking; a root that signed it is accepted.
/// </summary>
public sealed class StoreTlsTests : IDisposable
{
    private readonly PostgresServer _server = new(tls: true);
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-tls-").FullName;

    [Fact]
    public async Task Verify_full_refuses_a_self_signed_server_and_accepts_it_with_its_certificate_as_the_root()
    {
        var database = _server.CreateDatabase();
        var url = $"postgresql://{PostgresServer.Superuser}@localhost:{_server.Port}/{database}";

        var refused = await Cli(url + "?sslmode=verify-full", "store", "upgrade");
        var encrypted = await Cli(url + "?sslmode=require", "store", "upgrade");
        var trusted = await Cli($"{url}?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(Path.Combine(_server.Folder, "server.crt"))}", "store", "info");

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"notebookml: postgresql://{PostgresServer.Superuser}@localhost:{_server.Port}/{database}: the store's TLS certificate was refused", line, StringComparison.Ordinal);
        Assert.True(encrypted.ExitCode == 0, encrypted.Output);
        Assert.True(trusted.ExitCode == 0, trusted.Output);
        Assert.Contains("up to date", trusted.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ProcessResult> Cli(string store, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_STORE"] = store }, _folder);
}
