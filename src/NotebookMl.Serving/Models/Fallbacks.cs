using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>Answers a request by a model's fallback rule: the previous version if it is loaded, else the SQL rule, else the constants; counted by model, reason and rule.</summary>
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
                catch (InferenceException) when (rule.Constants.Count > 0 || rule.Sql is not null)
                {
                    // The previous version failed too: the SQL rule or the constants answer.
                }
            }
        }

        var rows = request.Inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1;
        var wanted = (request.Outputs.Count > 0 ? signature.Outputs.Where(o => request.Outputs.Contains(o.Name)) : signature.Outputs).ToArray();
        var version = repository.RegisteredVersion(name);
        if (rule.Sql is { } sql)
        {
            try
            {
                var answer = sql.Answer(signature, request.Inputs, rows);
                var outputs = wanted.Select(output => Tensor(name, output, rows, rule, answer.Values.GetValueOrDefault(output.Name))).ToArray();
                metrics.Fallbacks.WithLabels(name, reason, "sql").Inc();
                return new InferenceResult(version!, request, outputs, $"sql ({reason})");
            }
            catch (Exception e) when (e is InvalidDataException or InferenceException && rule.Constants.Count > 0)
            {
                // The rule failed (or left an output without a value): the constants answer.
            }
        }

        if (rule.Constants.Count == 0)
        {
            throw new InferenceException(503, $"model '{name}' cannot answer ({reason}) and its fallback{(rule.Sql is null ? ", the previous version, is not loaded" : " gave no answer")}.");
        }

        var constants = wanted.Select(output => Tensor(name, output, rows, rule, null)).ToArray();
        metrics.Fallbacks.WithLabels(name, reason, "constant").Inc();
        return new InferenceResult(version!, request, constants, $"constant ({reason})");
    }

    /// <summary>An output tensor of <paramref name="rows"/> rows: the SQL rule's values where given, else the output's constant.</summary>
    private static InferTensor Tensor(string model, TensorSignature output, long rows, FallbackRule rule, object?[]? values)
    {
        var constant = rule.Constants.TryGetValue(output.Name, out var c) ? c : (double?)null;
        var shape = new[] { rows }.Concat(output.Shape.Skip(1).Select(d => d < 0 ? 1 : d)).ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        double Value(long element)
        {
            var row = element / Math.Max(1, count / Math.Max(1, rows));
            if (values?[row] is { } v)
            {
                return Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);
            }

            return constant ?? throw new InferenceException(503, $"model '{model}' cannot answer, and its fallback has no {(values is null ? "" : "SQL value or ")}constant for output '{output.Name}'{(values is null ? "" : $" at row {row}")}; constants: {(rule.Constants.Count > 0 ? string.Join(", ", rule.Constants.Keys) : "none")}.");
        }

        var elements = Enumerable.Range(0, (int)count).Select(i => Value(i)).ToArray();
        Array data = output.DataType switch
        {
            "FP32" => elements.Select(v => (float)v).ToArray(),
            "FP64" => elements,
            "INT32" => elements.Select(v => (int)v).ToArray(),
            "INT64" => elements.Select(v => (long)v).ToArray(),
            "BOOL" => elements.Select(v => v != 0).ToArray(),
            _ => throw new InferenceException(503, $"model '{model}': output '{output.Name}' is {output.DataType}; a fallback answers numbers only."),
        };
        return new InferTensor(output.Name, output.DataType, shape, data);
    }
}
