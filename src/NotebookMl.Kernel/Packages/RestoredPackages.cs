using System.Text.Json;

namespace NotebookMl.Kernel.Packages;

/// <summary>The cached result of one restore: managed assemblies, the native folder, extensions, versions.</summary>
internal sealed record RestoredPackages(
    IReadOnlyList<string> Assemblies,
    string OutputDirectory,
    IReadOnlyList<string> ExtensionAssemblies,
    IReadOnlyDictionary<string, string> Versions)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static RestoredPackages? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<RestoredPackages>(File.ReadAllText(path), s_json) : null;

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));
}
