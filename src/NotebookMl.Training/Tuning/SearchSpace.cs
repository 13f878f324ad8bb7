using System.Globalization;
using System.Text.RegularExpressions;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Tuning;

/// <summary>One tuned option and the values it may take.</summary>
/// <param name="Name">The option, as a study writes it (<c>leaves</c>, <c>learning_rate</c>).</param>
public abstract record Dimension(string Name);

/// <summary>Whole numbers from <paramref name="Low"/> to <paramref name="High"/>, evenly or on a log scale.</summary>
public sealed record IntDimension(string Name, long Low, long High, bool Log) : Dimension(Name);

/// <summary>Real numbers from <paramref name="Low"/> to <paramref name="High"/>, evenly or on a log scale.</summary>
public sealed record FloatDimension(string Name, double Low, double High, bool Log) : Dimension(Name);

/// <summary>One of a list of values, unordered.</summary>
public sealed record ChoiceDimension(string Name, IReadOnlyList<string> Choices) : Dimension(Name);

/// <summary>
/// What a study searches: <c>NAME=int(LOW,HIGH[,log]) NAME=float(LOW,HIGH[,log]) NAME=choice(A,B,…)</c>, separated by
/// spaces. A bad one is an <see cref="InvalidOptionException"/> naming the option, the dimension and what was expected.
/// </summary>
public sealed partial record SearchSpace(IReadOnlyList<Dimension> Dimensions)
{
    /// <summary>Reads <paramref name="text"/>; with <paramref name="known"/>, a name outside it is refused, listing them.</summary>
    public static SearchSpace Parse(string text, string option, IReadOnlyCollection<string>? known = null)
    {
        var dimensions = new List<Dimension>();
        foreach (var part in Parts().Matches(text).Select(m => m.Value))
        {
            var match = DimensionSyntax().Match(part);
            if (!match.Success)
            {
                throw new InvalidOptionException(option, $"'{part}' is not a dimension; expected NAME=int(LOW,HIGH[,log]), NAME=float(LOW,HIGH[,log]) or NAME=choice(A,B,…).");
            }

            var (name, kind, arguments) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value.Split(',').Select(a => a.Trim()).ToArray());
            if (known is not null && !known.Contains(name))
            {
                throw new InvalidOptionException(option, $"'{name}' is not an option a trial can take; tunable: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }

            if (dimensions.Any(d => d.Name == name))
            {
                throw new InvalidOptionException(option, $"'{name}' is given twice.");
            }

            dimensions.Add(kind switch
            {
                "int" => Int(name, arguments, option),
                "float" => Float(name, arguments, option),
                _ => arguments.All(a => a.Length > 0) && arguments.Distinct().Count() == arguments.Length
                    ? new ChoiceDimension(name, arguments)
                    : throw new InvalidOptionException(option, $"{name}: choice() needs distinct, non-empty values."),
            });
        }

        return dimensions.Count > 0 ? new SearchSpace(dimensions) : throw new InvalidOptionException(option, "the search space is empty; give at least one NAME=int(…), float(…) or choice(…).");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(" ", Dimensions.Select(d => d switch
    {
        IntDimension i => string.Create(CultureInfo.InvariantCulture, $"{i.Name}=int({i.Low},{i.High}{(i.Log ? ",log" : "")})"),
        FloatDimension f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}=float({f.Low:R},{f.High:R}{(f.Log ? ",log" : "")})"),
        ChoiceDimension c => $"{c.Name}=choice({string.Join(",", c.Choices)})",
        _ => throw new InvalidOperationException(),
    }));

    private static IntDimension Int(string name, string[] arguments, string option)
    {
        var log = Log(name, arguments, option);
        if (!long.TryParse(arguments[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var low) || !long.TryParse(arguments[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var high))
        {
            throw new InvalidOptionException(option, $"{name}: int() takes whole numbers, got '{arguments[0]}' and '{arguments[1]}'.");
        }

        Range(name, low, high, log, option);
        return new IntDimension(name, low, high, log);
    }

    private static FloatDimension Float(string name, string[] arguments, string option)
    {
        var log = Log(name, arguments, option);
        if (!double.TryParse(arguments[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low) || !double.TryParse(arguments[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high)
            || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new InvalidOptionException(option, $"{name}: float() takes numbers, got '{arguments[0]}' and '{arguments[1]}'.");
        }

        Range(name, low, high, log, option);
        return new FloatDimension(name, low, high, log);
    }

    private static bool Log(string name, string[] arguments, string option) => arguments.Length switch
    {
        2 => false,
        3 when arguments[2] == "log" => true,
        _ => throw new InvalidOptionException(option, $"{name}: expected (LOW,HIGH) or (LOW,HIGH,log), got ({string.Join(",", arguments)})."),
    };

    private static void Range(string name, double low, double high, bool log, string option)
    {
        if (!(low < high))
        {
            throw new InvalidOptionException(option, $"{name}: the range {low.ToString(CultureInfo.InvariantCulture)}..{high.ToString(CultureInfo.InvariantCulture)} is empty; LOW must be below HIGH.");
        }

        if (log && low <= 0)
        {
            throw new InvalidOptionException(option, $"{name}: a log scale needs LOW above 0, got {low.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    [GeneratedRegex(@"[^\s=]+=\w+\([^)]*\)|\S+")]
    private static partial Regex Parts();

    [GeneratedRegex(@"^([a-z][a-z0-9_]*)=(int|float|choice)\(([^)]*)\)$")]
    private static partial Regex DimensionSyntax();
}
