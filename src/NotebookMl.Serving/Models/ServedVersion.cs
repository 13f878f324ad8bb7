using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// One registered version loaded into ONNX Runtime. Requests lease it (<see cref="TryAcquire"/> / <see cref="Release"/>);
/// once it is retired (swapped out or unloaded) its session is disposed when the last lease is released, so requests in
/// flight finish on it.
/// </summary>
public sealed class ServedVersion
{
    private readonly InferenceSession _session;
    private readonly Action<int> _observeBatch;
    private readonly Action<TimeSpan> _observeQueue;
    private DynamicBatcher? _batcher;
    private int _maxBatchRows;
    private int _leases;
    private bool _retired;
    private bool _disposed;
    private RequestSignature? _accepts;

    private ServedVersion(ModelVersion version, InferenceSession session, Action<int> observeBatch, Action<TimeSpan> observeQueue) =>
        (Version, _session, _observeBatch, _observeQueue) = (version, session, observeBatch, observeQueue);

    /// <summary>The registered version.</summary>
    public ModelVersion Version { get; }

    /// <summary>The ONNX Runtime execution provider it runs on (CPU, or CUDA in a CUDA build with a GPU).</summary>
    public string Provider { get; private init; } = "CPU";

    /// <summary>Its inputs and outputs, as registered.</summary>
    public ModelSignature Signature => Version.Signature;

    /// <summary>The inputs a request may leave out, looked up in the online feature store; null when every input must be sent.</summary>
    public OnlineInputs? Online { get; init; }

    /// <summary>What a request to this version may carry: its inputs, of which its online features may be left out, and their join keys.</summary>
    public RequestSignature Accepts => _accepts ??= Online?.Signature ?? RequestSignature.Of(Signature);

    /// <summary>
    /// The request this version runs for <paramref name="sent"/>, a request read against <paramref name="sentTo"/> (another
    /// version's signature, or this one's): the inputs this version does not declare are left out for it, the rest is checked
    /// against its own signature, and its own online features (never another version's) are looked up.
    /// </summary>
    public async Task<InferRequest> PrepareAsync(InferRequest sent, RequestSignature sentTo, string model)
    {
        var request = sent;
        if (!ReferenceEquals(sentTo, Accepts))
        {
            var accepted = Accepts.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            request = InferRequestValidator.Validate(sent.Inputs.All(i => accepted.Contains(i.Name)) ? sent : sent with { Inputs = sent.Inputs.Where(i => accepted.Contains(i.Name)).ToArray() }, Accepts, model);
        }

        return Online is { } online ? await online.FillAsync(request) : request;
    }

    /// <summary>
    /// Loads <paramref name="onnx"/> and runs one warm-up row; a model that cannot be loaded or run is an <see cref="InvalidDataException"/>.
    /// With <paramref name="maxBatchRows"/> above 1, concurrent requests are batched (<see cref="DynamicBatcher"/>); <paramref name="observeBatch"/>
    /// hears the rows of every ONNX Runtime call.
    /// </summary>
    public static ServedVersion Load(ModelVersion version, byte[] onnx, int maxBatchRows = 1, TimeSpan maxQueueDelay = default, Action<int>? observeBatch = null, Action<TimeSpan>? observeQueue = null, OnlineInputs? online = null, bool sequential = false)
    {
        if (version.Signature.Inputs.Count == 0 || version.Signature.Outputs.Count == 0)
        {
            throw new InvalidDataException($"{version.Uri} was registered without a signature; register it again with 'models register'.");
        }

        InferenceSession session;
        string provider;
        try
        {
            (session, provider) = OrtSessions.Create(onnx, sequential);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{version.Uri}: ONNX Runtime cannot load it: {e.Message.Split('\n')[0]}");
        }

        var served = new ServedVersion(version, session, observeBatch ?? (_ => { }), observeQueue ?? (_ => { })) { Provider = provider, Online = online };
        try
        {
            served.Run(version.Signature.Inputs.Select(WarmUpInput).ToArray(), []);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InferenceException)
        {
            session.Dispose();
            throw new InvalidDataException($"{version.Uri}: the warm-up request failed: {e.Message.Split('\n')[0]}");
        }

        if (maxBatchRows > 1)
        {
            served._maxBatchRows = maxBatchRows;
            served._batcher = new DynamicBatcher(served.Run, maxBatchRows, maxQueueDelay, served._observeBatch, served._observeQueue);
        }

        return served;
    }

    /// <summary>Takes a lease for one request; false when the version was retired meanwhile.</summary>
    public bool TryAcquire()
    {
        lock (this)
        {
            if (_retired)
            {
                return false;
            }

            _leases++;
            return true;
        }
    }

    /// <summary>Ends a lease; the last one of a retired version frees the session.</summary>
    public void Release()
    {
        lock (this)
        {
            _leases--;
            DisposeIfIdle();
        }
    }

    /// <summary>No new requests; the session is freed once the requests in flight are done.</summary>
    public void Retire()
    {
        lock (this)
        {
            _retired = true;
            DisposeIfIdle();
        }
    }

    /// <summary>Runs a request, through the dynamic batcher when there is one and the request fits in a batch.</summary>
    public Task<IReadOnlyList<InferTensor>> RunAsync(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputs)
    {
        var rows = inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1;
        if (_batcher is not null && rows <= _maxBatchRows && inputs.All(i => i.Shape.Length > 0))
        {
            return _batcher.RunAsync(inputs, outputs, rows);
        }

        _observeQueue(TimeSpan.Zero);
        var result = Run(inputs, outputs);
        _observeBatch((int)rows);
        return Task.FromResult(result);
    }

    /// <summary>Runs the model on <paramref name="inputs"/>; returns <paramref name="outputs"/> (all when empty), in the model's order.</summary>
    public IReadOnlyList<InferTensor> Run(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputs)
    {
        var wanted = outputs.Count > 0 ? outputs : Signature.Outputs.Select(o => o.Name).ToArray();
        var values = inputs.Select(Value).ToList();
        try
        {
            using var results = _session.Run(values, wanted);
            return results.Select(Tensor).ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            // The request passed the signature's checks: a failure now is the model's (a fallback answers when there is one).
            throw new InferenceException(500, $"{Version.Uri} failed on the request: {e.Message.Split('\n')[0]}");
        }
    }

    private void DisposeIfIdle()
    {
        if (_retired && _leases == 0 && !_disposed)
        {
            _disposed = true;
            _batcher?.Complete();
            _session.Dispose();
        }
    }

    private static NamedOnnxValue Value(InferTensor tensor)
    {
        var shape = tensor.Shape.Select(d => checked((int)d)).ToArray();
        return tensor.Data switch
        {
            float[] f => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<float>(f, shape)),
            double[] d => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<double>(d, shape)),
            int[] i => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<int>(i, shape)),
            long[] l => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<long>(l, shape)),
            bool[] b => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<bool>(b, shape)),
            string[] s => NamedOnnxValue.CreateFromTensor(tensor.Name, new DenseTensor<string>(s, shape)),
            _ => throw new InferenceException(400, $"input '{tensor.Name}' has datatype {tensor.DataType}, which this server does not serve."),
        };
    }

    private InferTensor Tensor(DisposableNamedOnnxValue value)
    {
        var datatype = Signature.Outputs.First(o => o.Name == value.Name).DataType;
        return value.ElementType switch
        {
            TensorElementType.Float => Of(value.Name, datatype, value.AsTensor<float>()),
            TensorElementType.Double => Of(value.Name, datatype, value.AsTensor<double>()),
            TensorElementType.Int32 => Of(value.Name, datatype, value.AsTensor<int>()),
            TensorElementType.Int64 => Of(value.Name, datatype, value.AsTensor<long>()),
            TensorElementType.Bool => Of(value.Name, datatype, value.AsTensor<bool>()),
            TensorElementType.String => Of(value.Name, datatype, value.AsTensor<string>()),
            _ => throw new InferenceException(500, $"output '{value.Name}' has element type {value.ElementType}, which this server cannot return."),
        };
    }

    private static InferTensor Of<T>(string name, string datatype, Tensor<T> tensor) =>
        new(name, datatype, tensor.Dimensions.ToArray().Select(d => (long)d).ToArray(), tensor.ToArray());

    private static InferTensor WarmUpInput(TensorSignature input)
    {
        var shape = input.Shape.Select(d => d < 0 ? 1L : d).ToArray();
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        Array data = input.DataType switch
        {
            "FP32" => new float[count],
            "FP64" => new double[count],
            "INT32" => new int[count],
            "INT64" => new long[count],
            "BOOL" => new bool[count],
            "BYTES" => Enumerable.Repeat("", count).ToArray(),
            _ => throw new InvalidDataException($"input '{input.Name}' has datatype {input.DataType}, which this server does not serve."),
        };
        return new InferTensor(input.Name, input.DataType, shape, data);
    }
}
