using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace NotebookMl.Testing;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c>) in a temporary data directory on a free loopback port, run as
/// the unprivileged <c>postgres</c> user when the tests run as root. The superuser <c>notebookml</c> connects from
/// loopback without a password; every other role needs its password (scram-sha-256), as a real server asks.
/// <see cref="Shared"/> serves a test assembly; each test takes a fresh database from it (<see cref="CreateDatabase"/>).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    /// <summary>The superuser the tests connect as.</summary>
    public const string Superuser = "notebookml";

    private static readonly Lazy<PostgresServer> s_shared = new(() =>
    {
        var server = new PostgresServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private readonly string _bin;
    private readonly bool _durable;
    private readonly bool _tls;
    private Process? _process;
    private bool _disposed;

    /// <summary>
    /// A new server; <paramref name="durable"/>: a commit is on disk when it returns (a test that crashes the server needs
    /// it); <paramref name="tls"/>: it also takes TLS, with a self-signed certificate for <c>localhost</c> (openssl).
    /// </summary>
    public PostgresServer(bool durable = false, bool tls = false)
    {
        _durable = durable;
        _tls = tls;
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
              ?? throw new InvalidOperationException("no initdb under /usr/lib/postgresql; install it with apt-get install postgresql.")
            : throw new InvalidOperationException("PostgreSQL is not installed; install it with apt-get install postgresql.");
        Folder = Directory.CreateTempSubdirectory("notebookml-pg-").FullName;
        DataFolder = Path.Combine(Folder, "data");
        Directory.CreateDirectory(DataFolder);
        if (tls)
        {
            Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", Path.Combine(Folder, "server.key"), "-out", Path.Combine(Folder, "server.crt")]);
            Run("chmod", ["600", Path.Combine(Folder, "server.key")]);
        }

        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", Folder]);
        }

        Run(Tool("initdb"), ["-D", DataFolder, "-U", Superuser, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres: true);
        File.WriteAllText(Path.Combine(DataFolder, "pg_hba.conf"), $"""
            local all all trust
            host all {Superuser} 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            """);
        Port = LoopbackPorts.Free();
        Start();
    }

    /// <summary>The server every test of this process shares (started on first use, stopped at exit).</summary>
    public static PostgresServer Shared => s_shared.Value;

    /// <summary>The temporary folder holding the data directory.</summary>
    public string Folder { get; }

    /// <summary>The data directory.</summary>
    public string DataFolder { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The store URL of <paramref name="database"/> for <paramref name="user"/> (no password: that comes from PGPASSWORD).</summary>
    public string Url(string database, string user = Superuser) => $"postgresql://{user}@127.0.0.1:{Port}/{database}";

    /// <summary>Creates a fresh, empty database; returns its name.</summary>
    public string CreateDatabase()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        Execute("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> as the superuser.</summary>
    public void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of <paramref name="sql"/>'s rows in <paramref name="database"/>, as the superuser.</summary>
    public IReadOnlyList<object?> Query(string database, string sql)
    {
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }

    /// <summary>Starts the server (again) and waits until it takes connections.</summary>
    public void Start()
    {
        var info = new ProcessStartInfo(Environment.UserName == "root" ? "runuser" : Tool("postgres")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new List<string>();
        if (Environment.UserName == "root")
        {
            arguments.AddRange(["-u", "postgres", "--", Tool("postgres")]);
        }

        arguments.AddRange(["-D", DataFolder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", Folder, "-h", "127.0.0.1",
            "-c", "fsync=off", "-c", $"synchronous_commit={(_durable ? "on" : "off")}", "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "log_min_messages=fatal"]);
        if (_tls)
        {
            arguments.AddRange(["-c", "ssl=on", "-c", $"ssl_cert_file={Path.Combine(Folder, "server.crt")}", "-c", $"ssl_key_file={Path.Combine(Folder, "server.key")}"]);
        }

        arguments.ForEach(info.ArgumentList.Add);
        _process = Process.Start(info) ?? throw new InvalidOperationException("postgres did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Execute("postgres", "SELECT 1");
                return;
            }
            catch (Exception e) when ((e is NpgsqlException or SocketException) && clock.Elapsed < TimeSpan.FromSeconds(30) && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Stops the server: <paramref name="immediate"/> as a crash would (no checkpoint), else as an operator would.</summary>
    public void Stop(bool immediate = false)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        Run(Tool("pg_ctl"), ["-D", DataFolder, "stop", "-m", immediate ? "immediate" : "fast", "-w"], asPostgres: true);
        _process.WaitForExit(30_000);
        _process.Dispose();
        _process = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Stop(immediate: true);
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private string Tool(string name) => Path.Combine(_bin, name);

    private static void Run(string file, IEnumerable<string> arguments, bool asPostgres = false)
    {
        var info = new ProcessStartInfo(asPostgres && Environment.UserName == "root" ? "runuser" : file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres && Environment.UserName == "root")
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
