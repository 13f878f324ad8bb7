using System.Net;
using NotebookMl.Core.Options;
using NotebookMl.Core.Registry;

namespace NotebookMl.Serving;

/// <summary>How <c>notebookml serve</c> serves: where it listens, which models, which alias is each model's default, and who may call it. Checked by <see cref="Validate"/> before anything is loaded.</summary>
public sealed record ServingOptions
{
    /// <summary>The address to listen on: loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The HTTP port (0: any free port).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>The gRPC port (KServe's GRPCInferenceService over HTTP/2); null: no gRPC; 0: any free port.</summary>
    public int? GrpcPort { get; init; }

    /// <summary>The models to serve; empty: every registered model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The alias whose version is each model's default.</summary>
    public string Alias { get; init; } = ModelReference.ServingAlias;

    /// <summary>A file holding the bearer token the control API (and, with <see cref="RequireTokenForInference"/>, inference) needs.</summary>
    public string? TokenFile { get; init; }

    /// <summary>A TLS certificate: a PKCS#12 file (.pfx/.p12, with <see cref="TlsPasswordFile"/> if it has a password) or a PEM certificate with <see cref="TlsKey"/>. Null: plain HTTP.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The PEM private key of a PEM <see cref="TlsCertificate"/>.</summary>
    public string? TlsKey { get; init; }

    /// <summary>A file holding the PKCS#12 certificate's password.</summary>
    public string? TlsPasswordFile { get; init; }

    /// <summary>
    /// Host names (or addresses) besides loopback that the control API answers to, as callers write them in the URL. Any
    /// other <c>Host</c> is refused, which stops DNS rebinding; serving on another machine's name needs it here.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Inference needs the token too.</summary>
    public bool RequireTokenForInference { get; init; }

    /// <summary>The largest request body, in bytes (64 MiB by default); larger ones are answered 413.</summary>
    public long MaxBodyBytes { get; init; } = 64L << 20;

    /// <summary>Dynamic batching: concurrent requests to one version are joined into one ONNX Runtime call of at most this many rows (1: off).</summary>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>With batching: how long the first request of a batch may wait for others (Triton's max_queue_delay_microseconds).</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.Zero;

    /// <summary>A model with a fallback that has not answered within this long is answered by the fallback; null: no limit.</summary>
    public TimeSpan? InferenceTimeout { get; init; }

    /// <summary>
    /// The share of requests written to the prediction log (1, the default: every request; 0: none but those mirrored to a shadow).
    /// </summary>
    public double LogSample { get; init; } = 1;

    /// <summary>The most prediction-log rows held in memory waiting for the disk; past it rows are dropped and counted.</summary>
    public long LogBufferRows { get; init; } = 1_000_000;

    /// <summary>Writes one buffer of the prediction log (the entry prefix, the path); null: Parquet. Tests put a disk that blocks here.</summary>
    internal Func<Predictions.PredictionBuffer, string, string, Task<int>>? LogWriter { get; init; }

    /// <summary>How often the prediction log is written to Parquet (what a crash can lose).</summary>
    public TimeSpan LogFlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the registry's event log is read for alias moves (hot swap).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Checks every option; a bad one is an <see cref="InvalidOptionException"/> naming it.</summary>
    public ServingOptions Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new InvalidOptionException(nameof(Port), $"{Port} is not a port; expected 0 to 65535.");
        }

        if (GrpcPort is < 0 or > 65535 || (GrpcPort is { } grpc and > 0 && grpc == Port))
        {
            throw new InvalidOptionException(nameof(GrpcPort), $"{GrpcPort} is not a port for gRPC; expected 0 to 65535, not the HTTP port.");
        }

        if (Host != "localhost" && !IPAddress.TryParse(Host, out _))
        {
            throw new InvalidOptionException(nameof(Host), $"'{Host}' is not an IP address; expected e.g. 127.0.0.1, 0.0.0.0 or localhost.");
        }

        if (!IsLoopback && TokenFile is null)
        {
            throw new InvalidOptionException(nameof(TokenFile), $"serving on {Host}, which is not a loopback address, needs a token file: callers from other machines must authenticate.");
        }

        if (RequireTokenForInference && TokenFile is null)
        {
            throw new InvalidOptionException(nameof(RequireTokenForInference), "requiring a token for inference needs a token file.");
        }

        if (TokenFile is not null && !File.Exists(TokenFile))
        {
            throw new InvalidOptionException(nameof(TokenFile), $"{Path.GetFullPath(TokenFile)} does not exist.");
        }

        foreach (var (option, file) in new[] { (nameof(TlsCertificate), TlsCertificate), (nameof(TlsKey), TlsKey), (nameof(TlsPasswordFile), TlsPasswordFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new InvalidOptionException(option, $"{Path.GetFullPath(file)} does not exist.");
            }
        }

        if ((TlsKey is not null || TlsPasswordFile is not null) && TlsCertificate is null)
        {
            throw new InvalidOptionException(nameof(TlsCertificate), "a TLS key or password needs the certificate it belongs to.");
        }

        if (MaxBatchSize < 1)
        {
            throw new InvalidOptionException(nameof(MaxBatchSize), $"{MaxBatchSize} rows; expected 1 (no batching) or more.");
        }

        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromSeconds(1))
        {
            throw new InvalidOptionException(nameof(MaxQueueDelay), $"{MaxQueueDelay.TotalMicroseconds} µs; expected 0 to 1,000,000 microseconds.");
        }

        if (LogSample is < 0 or > 1 || double.IsNaN(LogSample))
        {
            throw new InvalidOptionException(nameof(LogSample), $"{LogSample}; expected a share from 0 (no log) to 1 (every request).");
        }

        if (LogBufferRows < 1)
        {
            throw new InvalidOptionException(nameof(LogBufferRows), $"{LogBufferRows} rows; expected at least 1.");
        }

        if (LogFlushInterval <= TimeSpan.Zero)
        {
            throw new InvalidOptionException(nameof(LogFlushInterval), $"{LogFlushInterval}; expected a positive interval.");
        }

        if (InferenceTimeout is { } limit && limit <= TimeSpan.Zero)
        {
            throw new InvalidOptionException(nameof(InferenceTimeout), $"{limit.TotalMilliseconds} ms; expected a positive time.");
        }

        if (MaxBodyBytes <= 0)
        {
            throw new InvalidOptionException(nameof(MaxBodyBytes), $"{MaxBodyBytes} bytes; expected a positive size.");
        }

        if (AllowedHosts.FirstOrDefault(h => Uri.CheckHostName(h.Trim('[', ']')) == UriHostNameType.Unknown) is { } badHost)
        {
            throw new InvalidOptionException(nameof(AllowedHosts), $"'{badHost}' is not a host name; expected a name such as serving.internal or an address, without scheme or port.");
        }

        ModelRegistry.CheckAlias(Alias, nameof(Alias));
        return this;
    }

    /// <summary>True when <see cref="Host"/> is a loopback address.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>The TLS certificate with its private key, or null for plain HTTP; a file that is not one is an <see cref="InvalidOptionException"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ReadCertificate()
    {
        if (TlsCertificate is null)
        {
            return null;
        }

        try
        {
            var pem = Path.GetExtension(TlsCertificate).ToLowerInvariant() is ".pem" or ".crt";
            if (pem)
            {
                return TlsKey is null
                    ? throw new InvalidOptionException(nameof(TlsKey), $"the PEM certificate {Path.GetFullPath(TlsCertificate)} needs its private key file.")
                    : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(TlsCertificate, TlsKey);
            }

            var password = TlsPasswordFile is null ? null : File.ReadAllText(TlsPasswordFile).Trim();
            return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(TlsCertificate, password);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOptionException(nameof(TlsCertificate), $"{Path.GetFullPath(TlsCertificate)} is not a certificate with its private key: {e.Message}");
        }
    }

    /// <summary>The token, read from <see cref="TokenFile"/> (trimmed), or null.</summary>
    public string? ReadToken()
    {
        if (TokenFile is null)
        {
            return null;
        }

        var token = File.ReadAllText(TokenFile).Trim();
        return token.Length >= 16 ? token : throw new InvalidOptionException(nameof(TokenFile), $"{Path.GetFullPath(TokenFile)} holds a token of {token.Length} characters; use at least 16.");
    }
}
