using System.Globalization;
using System.Text;

namespace NotebookMl.Runner.Parameters;

/// <summary>Writes the <c>injected-parameters</c> cell: typed assignments in the kernel's language, as papermill's translators do.</summary>
public static class ParameterWriter
{
    /// <summary>The cell's source for <paramref name="values"/>.</summary>
    public static string Write(ParameterLanguage language, IEnumerable<(string Name, ParameterType Type, object Value)> values)
    {
        var source = new StringBuilder(language == ParameterLanguage.CSharp ? "// Parameters injected by notebookml run\n" : "# Parameters\n");
        foreach (var (name, type, value) in values)
        {
            source.Append(language == ParameterLanguage.CSharp
                ? $"{CSharpType(type)} {name} = {CSharp(value)};\n"
                : $"{name} = {Python(value)}\n");
        }

        return source.ToString().TrimEnd('\n');
    }

    private static string CSharpType(ParameterType type) => type switch
    {
        ParameterType.Int => "int",
        ParameterType.Long => "long",
        ParameterType.Double => "double",
        ParameterType.Bool => "bool",
        ParameterType.DateTime => "DateTime",
        ParameterType.IntArray => "int[]",
        ParameterType.DoubleArray => "double[]",
        ParameterType.StringArray => "string[]",
        _ => "string",
    };

    private static string CSharp(object value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
        double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => $"DateTime.Parse(\"{t.ToString("O", CultureInfo.InvariantCulture)}\", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)",
        int[] items => $"new int[] {{ {string.Join(", ", items.Select(i => CSharp(i)))} }}",
        double[] items => $"new double[] {{ {string.Join(", ", items.Select(i => CSharp(i)))} }}",
        string[] items => $"new string[] {{ {string.Join(", ", items.Select(i => CSharp(i)))} }}",
        _ => Quote(value.ToString() ?? "", csharp: true),
    };

    private static string Python(object value) => value switch
    {
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d when double.IsNaN(d) => "float('nan')",
        double d when double.IsInfinity(d) => d > 0 ? "float('inf')" : "float('-inf')",
        double d => PythonFloat(d),
        bool b => b ? "True" : "False",
        DateTime t => Quote(t.ToString("O", CultureInfo.InvariantCulture), csharp: false),
        Array items => "[" + string.Join(", ", items.Cast<object>().Select(Python)) + "]",
        _ => Quote(value.ToString() ?? "", csharp: false),
    };

    // Python writes 1.0, not 1, for a float.
    private static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static string Quote(string text, bool csharp)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => csharp ? "\\0" : "\\x00",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
