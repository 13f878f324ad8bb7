using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>Answers a request by a model's fallback rule: the previous version if it is loaded, else the constants; counted by model, reason and rule.</summary>
internal static class Fallbacks
{
    public static InferenceResult Answer(ModelRepository repository, ServingMetrics metrics, string name, FallbackRule rule, InferRequest request, ModelSignature signature, string reason)
    {
        if (rule.PreviousVersion && repository.AcquirePrevious(name) is { } lease)
        {
            using (lease)
            {
                try
                {
                    var outputs = lease.Version.Run(request.Inputs, request.Outputs);
                    metrics.Fallbacks.WithLabels(name, reason, "previous_version").Inc();
                    return new InferenceResult(lease.Version.Version, request, outputs, $"previous_version ({reason})");
                }
                catch (InferenceException) when (rule.Constants.Count > 0)
                {
                    // The previous version failed too: the constants answer.
                }
            }
        }

        if (rule.Constants.Count == 0)
        {
            throw new InferenceException(503, $"model '{name}' cannot answer ({reason}) and its fallback, the previous version, is not loaded.");
        }

        var rows = request.Inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1;
        var wanted = request.Outputs.Count > 0 ? signature.Outputs.Where(o => request.Outputs.Contains(o.Name)) : signature.Outputs;
        var answer = wanted.Select(output => Constant(name, output, rows, rule)).ToArray();
        metrics.Fallbacks.WithLabels(name, reason, "constant").Inc();
        var version = repository.RegisteredVersion(name);
        return new InferenceResult(version!, request, answer, $"constant ({reason})");
    }

    private static InferTensor Constant(string model, TensorSignature output, long rows, FallbackRule rule)
    {
        if (!rule.Constants.TryGetValue(output.Name, out var value))
        {
            throw new InferenceException(503, $"model '{model}' cannot answer, and its fallback has no constant for output '{output.Name}'; constants: {string.Join(", ", rule.Constants.Keys)}.");
        }

        var shape = new[] { rows }.Concat(output.Shape.Skip(1).Select(d => d < 0 ? 1 : d)).ToArray();
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        Array data = output.DataType switch
        {
            "FP32" => Enumerable.Repeat((float)value, count).ToArray(),
            "FP64" => Enumerable.Repeat(value, count).ToArray(),
            "INT32" => Enumerable.Repeat((int)value, count).ToArray(),
            "INT64" => Enumerable.Repeat((long)value, count).ToArray(),
            "BOOL" => Enumerable.Repeat(value != 0, count).ToArray(),
            _ => throw new InferenceException(503, $"model '{model}': output '{output.Name}' is {output.DataType}; a constant fallback answers numbers only."),
        };
        return new InferTensor(output.Name, output.DataType, shape, data);
    }
}
