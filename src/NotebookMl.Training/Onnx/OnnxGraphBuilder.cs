using Google.Protobuf;
using NotebookMl.Training.Onnx.Proto;

namespace NotebookMl.Training.Onnx;

/// <summary>
/// Builds an ONNX graph node by node: unique value names, constant tensors as initializers, typed
/// inputs and outputs with a symbolic batch dimension, and the model around it (IR 8, ai.onnx opset 15,
/// ai.onnx.ml opset 3: what ONNX Runtime 1.17+ and onnx 1.12's checker accept).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>NotebookMl's version, written as the producer of every model.</summary>
    public static string ProducerVersion => typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public const long IrVersion = 8;
    public const long OnnxOpset = 15;
    public const long MlOpset = 3;
    public const string MlDomain = "ai.onnx.ml";

    private readonly GraphProto _graph = new() { Name = "notebookml" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A graph input of shape [N, width].</summary>
    public string Input(string name, TensorProto.Types.DataType type, long width) => Input(name, type, [width]);

    /// <summary>A graph input of shape [N, dims…].</summary>
    public string Input(string name, TensorProto.Types.DataType type, long[] dims)
    {
        _graph.Input.Add(ValueInfo(Reserve(name), type, dims));
        return name;
    }

    /// <summary>Marks <paramref name="value"/> as a graph output of shape [N, width], renamed to <paramref name="name"/>.</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, long width)
    {
        Node("Identity", [value], [], name: name + "_identity", output: Reserve(name));
        _graph.Output.Add(ValueInfo(name, type, [width]));
    }

    /// <summary>A float tensor constant.</summary>
    public string Constant(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Reserve(Fresh(name)), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 tensor constant.</summary>
    public string Constant(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Reserve(Fresh(name)), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node; returns its first output's name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, IEnumerable<AttributeProto> attributes, string? domain = null, string? name = null, string? output = null, int outputs = 1)
    {
        var node = new NodeProto { OpType = opType, Name = Reserve(Fresh(name ?? opType.ToLowerInvariant())) };
        if (domain is not null)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        node.Output.Add(output ?? Reserve(Fresh(node.Name + "_out")));
        for (var i = 1; i < outputs; i++)
        {
            node.Output.Add(Reserve(Fresh($"{node.Name}_out{i}")));
        }

        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>The finished model with its metadata.</summary>
    public ModelProto Model(string producerVersion, IReadOnlyDictionary<string, string> metadata, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NotebookMl",
            ProducerVersion = producerVersion,
            Domain = "ai.notebookml",
            ModelVersion = 1,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxOpset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    public static AttributeProto Attribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Attribute(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    public static AttributeProto Attribute(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private string Fresh(string name)
    {
        var candidate = name;
        for (var i = 2; _names.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    private string Reserve(string name) =>
        _names.Add(name) ? name : throw new InvalidOperationException($"ONNX value name '{name}' is used twice.");
}
