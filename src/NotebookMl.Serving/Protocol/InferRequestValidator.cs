using NotebookMl.Core.Registry;

namespace NotebookMl.Serving.Protocol;

/// <summary>
/// Checks a parsed infer request (REST or gRPC) against the model's signature: each input known, given once, of the
/// model's datatype, a shape of the model's rank whose fixed dimensions match and whose element count is the data's,
/// every input the model needs present with the same number of rows, and the outputs asked for known.
/// </summary>
public static class InferRequestValidator
{
    /// <summary>Returns <paramref name="request"/> when it fits; otherwise an <see cref="InferenceException"/> (400) naming the input.</summary>
    public static InferRequest Validate(InferRequest request, ModelSignature signature, string model) => Validate(request, RequestSignature.Of(signature), model);

    /// <summary>
    /// As <see cref="Validate(InferRequest, ModelSignature, string)"/>, for a request that may omit the online features of
    /// <paramref name="accepted"/> as long as it gives the join keys they are looked up by.
    /// </summary>
    public static InferRequest Validate(InferRequest request, RequestSignature accepted, string model)
    {
        var signature = accepted.Accepted;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in request.Inputs)
        {
            var expected = signature.Inputs.FirstOrDefault(i => i.Name == input.Name)
                ?? throw Bad($"input '{input.Name}' is not an input of {model}; it takes {Describe(signature.Inputs)}.");
            if (!seen.Add(input.Name))
            {
                throw Bad($"input '{input.Name}' is given twice.");
            }

            if (input.DataType != expected.DataType)
            {
                throw Bad($"input '{input.Name}' has datatype {input.DataType}; {model} expects {expected.DataType}.");
            }

            CheckShape(input.Name, input.Shape, expected, model);
            if (input.Data.Length != input.ElementCount)
            {
                throw Bad($"input '{input.Name}' has {input.Data.Length} elements in 'data' but its shape {Shape(input.Shape)} holds {input.ElementCount}.");
            }
        }

        if (accepted.Model.Inputs.FirstOrDefault(s => !seen.Contains(s.Name) && !accepted.Online.Contains(s.Name)) is { } missing)
        {
            throw Bad($"input '{missing.Name}' is missing; {model} takes {Describe(accepted.Model.Inputs)}{(accepted.Online.Count > 0 ? $" ({string.Join(", ", accepted.Online)} may be left out: they are looked up in the online store by {string.Join(", ", accepted.KeyNames)})" : "")}.");
        }

        var looked = accepted.Model.Inputs.Where(s => !seen.Contains(s.Name)).Select(s => s.Name).ToArray();
        if (looked.Length > 0 && accepted.KeyNames.FirstOrDefault(k => !seen.Contains(k)) is { } key)
        {
            throw Bad($"input '{key}' is missing: the online features {string.Join(", ", looked)} the request leaves out are looked up by it.");
        }

        if (request.Outputs.FirstOrDefault(o => signature.Outputs.All(s => s.Name != o)) is { } unknown)
        {
            throw Bad($"output '{unknown}' is not an output of {model}; its outputs: {string.Join(", ", signature.Outputs.Select(o => o.Name))}.");
        }

        // ONNX Runtime runs the inputs together: their batch (first) dimensions must agree.
        var batched = request.Inputs.Where(i => i.Shape.Length > 0).ToArray();
        if (batched.Length > 1 && batched.Any(i => i.Shape[0] != batched[0].Shape[0]))
        {
            throw Bad($"the inputs' first dimensions differ ({string.Join(", ", batched.Select(i => $"{i.Name}: {i.Shape[0]}"))}); every input needs the same number of rows.");
        }

        return request;
    }

    /// <summary>The shape must have the model's rank, and its fixed dimensions.</summary>
    public static void CheckShape(string name, IReadOnlyList<long> shape, TensorSignature expected, string model)
    {
        if (shape.Count != expected.Shape.Count || shape.Where((dimension, i) => expected.Shape[i] >= 0 && expected.Shape[i] != dimension).Any())
        {
            throw Bad($"input '{name}' has shape {Shape(shape)}; {model} expects {Shape(expected.Shape)} (-1: any size).");
        }
    }

    internal static string Describe(IReadOnlyList<TensorSignature> tensors) => string.Join(", ", tensors.Select(t => $"{t.Name} ({t.DataType} {Shape(t.Shape)})"));

    internal static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static InferenceException Bad(string message) => new(400, message);
}
