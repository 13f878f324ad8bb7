using System.Globalization;
using System.Text.RegularExpressions;
using NotebookMl.Core.Options;
using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>
/// A metric gate: <c>METRIC OP THRESHOLD</c>, where OP is one of <c>&gt;= &lt;= &gt; &lt; ==</c> and THRESHOLD is a
/// number (<c>test_auc&gt;=0.72</c>) or an alias, optionally plus or minus a number, meaning that metric of the
/// version the alias points at now (<c>test_auc&gt;=champion-0.002</c>, <c>test_rmse&lt;=champion</c>).
/// </summary>
public sealed partial record GateExpression(string Text, string Metric, string Operator, double? Constant, string? Alias, double Offset)
{
    /// <summary>Parses <paramref name="text"/>; a malformed expression is an <see cref="InvalidOptionException"/> naming it and <paramref name="parameter"/>.</summary>
    public static GateExpression Parse(string text, string parameter = "require")
    {
        var match = Pattern().Match(text ?? "");
        if (!match.Success)
        {
            throw new InvalidOptionException(parameter, $"'{text}' is not a gate; expected METRIC OP VALUE with OP one of >= <= > < ==, e.g. test_auc>=0.72 or test_auc>=champion-0.002.");
        }

        var (metric, op, threshold) = (match.Groups["metric"].Value, match.Groups["op"].Value, match.Groups["threshold"].Value.Trim());
        if (double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var constant))
        {
            return new GateExpression(Canonical(metric, op, threshold), metric, op, constant, null, 0);
        }

        var relative = Relative().Match(threshold);
        if (!relative.Success)
        {
            throw new InvalidOptionException(parameter, $"'{text}': '{threshold}' is neither a number nor ALIAS[+-NUMBER] (e.g. champion-0.002).");
        }

        var offset = relative.Groups["offset"].Success
            ? double.Parse(relative.Groups["offset"].Value.Replace(" ", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
            : 0;
        return new GateExpression(Canonical(metric, op, threshold), metric, op, null, relative.Groups["alias"].Value, offset);
    }

    /// <summary>Whether <paramref name="value"/> satisfies the gate against <paramref name="threshold"/>.</summary>
    public bool Holds(double value, double threshold) => Operator switch
    {
        ">=" => value >= threshold,
        "<=" => value <= threshold,
        ">" => value > threshold,
        "<" => value < threshold,
        _ => value == threshold,
    };

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static string Canonical(string metric, string op, string threshold) => $"{metric}{op}{threshold.Replace(" ", "", StringComparison.Ordinal)}";

    [GeneratedRegex(@"^\s*(?<metric>[A-Za-z_][A-Za-z0-9_./-]*)\s*(?<op>>=|<=|==|>|<)\s*(?<threshold>\S.*?)\s*$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?<alias>[a-z][a-z0-9_-]*)(?<offset>\s*[+-]\s*[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?)?$")]
    private static partial Regex Relative();
}
