using System.Text.RegularExpressions;

namespace NotebookMl.Core.Tracking;

/// <summary>Names and sizes a run accepts (MLflow's limits), checked with errors that name the key and the rule.</summary>
public static partial class TrackingLimits
{
    /// <summary>The longest name of a param, metric, tag or experiment.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The longest param value.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>The longest tag value.</summary>
    public const int MaxTagValueLength = 8000;

    /// <summary>Checks a param/metric/tag key or an experiment name.</summary>
    public static void CheckName(string kind, string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{kind} name is empty.");
        }

        if (name.Length > MaxKeyLength)
        {
            throw new ArgumentException($"{kind} name '{name[..40]}…' is {name.Length} characters; at most {MaxKeyLength}.");
        }

        if (!ValidName().IsMatch(name) || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"{kind} name '{name}': use letters, digits, '_', '-', '.', ' ' and '/' (not '..', not starting or ending with '/').");
        }
    }

    /// <summary>Checks a value's length.</summary>
    public static void CheckValue(string kind, string key, string value, int max)
    {
        if (value.Length > max)
        {
            throw new ArgumentException($"{kind} '{key}' value is {value.Length} characters; at most {max}.");
        }
    }

    /// <summary>Checks an artifact path: relative, no '..'.</summary>
    public static string CheckArtifactPath(string path)
    {
        var normalized = path.Replace('\\', '/').Trim('/');
        if (normalized.Length == 0 || Path.IsPathRooted(path) || normalized.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new ArgumentException($"artifact path '{path}': use a relative path without '.' or '..' parts, e.g. model/model.onnx.");
        }

        return normalized;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-. /]+$")]
    private static partial Regex ValidName();
}
