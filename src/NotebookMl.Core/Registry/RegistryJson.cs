using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookMl.Core.Registry;

/// <summary>
/// How the registry writes its JSON documents (reference statistics, prediction samples): snake_case names
/// (<c>rows</c>, <c>inputs</c>, <c>std_dev</c>, <c>quantiles</c>, <c>bins</c>, …), and NaN for missing numbers.
/// </summary>
public static class RegistryJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
