using Google.Protobuf;
using NotebookMl.Serving.Grpc.V2;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Grpc;

/// <summary>
/// Tensors between the gRPC messages and <see cref="InferTensor"/>: typed <c>contents</c> (fp32_contents, int64_contents,
/// bytes_contents, …) or <c>raw_input_contents</c> (little-endian elements; BYTES as a 4-byte length before each element),
/// as KServe and Triton clients send them. A response answers in the form the request used.
/// </summary>
internal static class GrpcTensors
{
    public static InferRequest Read(ModelInferRequest request)
    {
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Bad($"the request has {request.RawInputContents.Count} raw_input_contents for {request.Inputs.Count} inputs; give one per input, or use contents.");
        }

        var inputs = request.Inputs.Select((input, i) => new InferTensor(input.Name, input.Datatype, [.. input.Shape],
            raw ? RawTensors.Decode(input.Name, input.Datatype, request.RawInputContents[i].Span) : FromContents(input.Name, input.Datatype, input.Contents ?? new InferTensorContents()))).ToArray();
        return new InferRequest(request.Id.Length > 0 ? request.Id : null, inputs, request.Outputs.Select(o => o.Name).ToArray());
    }

    public static ModelInferResponse Write(string model, int version, InferRequest request, IReadOnlyList<InferTensor> outputs, bool raw)
    {
        var response = new ModelInferResponse { ModelName = model, ModelVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture), Id = request.Id ?? "" };
        foreach (var output in outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                response.RawOutputContents.Add(ByteString.CopyFrom(RawTensors.Encode(output.Data)));
            }
            else
            {
                tensor.Contents = ToContents(output.Data);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static Array FromContents(string name, string datatype, InferTensorContents contents) => datatype switch
    {
        "FP32" => contents.Fp32Contents.ToArray(),
        "FP64" => contents.Fp64Contents.ToArray(),
        "INT32" => contents.IntContents.ToArray(),
        "INT64" => contents.Int64Contents.ToArray(),
        "BOOL" => contents.BoolContents.ToArray(),
        "BYTES" => contents.BytesContents.Select(b => b.ToStringUtf8()).ToArray(),
        _ => throw Unsupported(name, datatype),
    };

    private static InferTensorContents ToContents(Array data)
    {
        var contents = new InferTensorContents();
        switch (data)
        {
            case float[] f: contents.Fp32Contents.AddRange(f); break;
            case double[] d: contents.Fp64Contents.AddRange(d); break;
            case int[] i: contents.IntContents.AddRange(i); break;
            case long[] l: contents.Int64Contents.AddRange(l); break;
            case bool[] b: contents.BoolContents.AddRange(b); break;
            case string[] s: contents.BytesContents.AddRange(s.Select(ByteString.CopyFromUtf8)); break;
        }

        return contents;
    }

    private static InferenceException Unsupported(string name, string datatype) => Bad($"input '{name}' has datatype {datatype}, which this server does not serve; use FP32, FP64, INT32, INT64, BOOL or BYTES.");

    private static InferenceException Bad(string message) => new(400, message);
}
