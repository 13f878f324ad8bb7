using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>Reads a <c>kernel.json</c>; every problem is reported with the file's path.</summary>
internal static class KernelSpecFile
{
    public const string FileName = "kernel.json";

    /// <summary>The spec in <paramref name="path"/>, named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid kernelspec.</exception>
    public static KernelSpec Read(string path, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"not valid JSON ({e.Message})");
        }
        catch (IOException e)
        {
            throw Invalid(path, $"cannot be read ({e.Message})");
        }

        if (root is not JsonObject spec)
        {
            throw Invalid(path, "expected a JSON object with 'argv', 'display_name' and 'language'");
        }

        var argv = spec["argv"] is JsonArray array && array.Count > 0 && array.All(IsString)
            ? array.Select(a => a!.GetValue<string>()).ToArray()
            : throw Invalid(path, "'argv' must be a non-empty list of strings (the command that starts the kernel)");
        var interruptMode = OptionalString(spec, "interrupt_mode", path) ?? KernelSpec.SignalInterrupt;
        if (interruptMode is not (KernelSpec.SignalInterrupt or KernelSpec.MessageInterrupt))
        {
            throw Invalid(path, $"'interrupt_mode' is '{interruptMode}'; expected 'signal' or 'message'");
        }

        return new KernelSpec(
            name,
            OptionalString(spec, "display_name", path) ?? name,
            OptionalString(spec, "language", path) ?? "",
            argv,
            Environment(spec, path),
            interruptMode,
            Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static Dictionary<string, string> Environment(JsonObject spec, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (spec["env"])
        {
            case null:
                return env;
            case JsonObject variables:
                foreach (var (key, value) in variables)
                {
                    env[key] = IsString(value) ? value!.GetValue<string>() : throw Invalid(path, $"'env' variable '{key}' must be a string");
                }

                return env;
            default:
                throw Invalid(path, "'env' must be an object of strings");
        }
    }

    private static string? OptionalString(JsonObject spec, string property, string path) => spec[property] switch
    {
        null => null,
        var value when IsString(value) => value.GetValue<string>(),
        _ => throw Invalid(path, $"'{property}' must be a string"),
    };

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: not a valid kernelspec: {problem}.");
}
