using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookMl.Core.Registry;

/// <summary>How the registry writes its JSON documents (reference statistics, prediction samples): web naming, and NaN for missing numbers.</summary>
public static class RegistryJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
