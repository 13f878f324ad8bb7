namespace NotebookMl.Core.Drift;

/// <summary>The methods' names, default thresholds and the <c>auto</c> choice.</summary>
public static class DriftMethods
{
    /// <summary>Reference sizes up to this use a test (KS or chi-square) under <c>auto</c>; larger ones a distance.</summary>
    public const long SmallReference = 1000;

    /// <summary>A numeric column with at most this many distinct reference values is treated as categorical under <c>auto</c>.</summary>
    public const int CategoricalDistinct = 5;

    private static readonly (DriftMethod Method, string Name)[] s_names =
    [
        (DriftMethod.Auto, "auto"), (DriftMethod.Psi, "psi"), (DriftMethod.Ks, "ks"), (DriftMethod.ChiSquare, "chi2"),
        (DriftMethod.JensenShannon, "js"), (DriftMethod.Wasserstein, "wasserstein"),
    ];

    /// <summary>Every name, in order: auto, psi, ks, chi2, js, wasserstein.</summary>
    public static IReadOnlyList<string> Names { get; } = s_names.Select(n => n.Name).ToArray();

    /// <summary>The name users type for <paramref name="method"/>.</summary>
    public static string Name(DriftMethod method) => s_names.First(n => n.Method == method).Name;

    /// <summary>The method named <paramref name="name"/>, or null.</summary>
    public static DriftMethod? TryParse(string name) =>
        s_names.FirstOrDefault(n => string.Equals(n.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { Name: not null } found ? found.Method : null;

    /// <summary>True for the tests, whose threshold is a p-value (drift below it); false for distances (drift at or above it).</summary>
    public static bool IsTest(DriftMethod method) => method is DriftMethod.Ks or DriftMethod.ChiSquare;

    /// <summary>The default threshold: 0.05 for a p-value, 0.1 for PSI, Jensen–Shannon and normalised Wasserstein.</summary>
    public static double DefaultThreshold(DriftMethod method) => IsTest(method) ? 0.05 : 0.1;

    /// <summary>True when <paramref name="statistic"/> (or <paramref name="pValue"/> for a test) means drift at <paramref name="threshold"/>.</summary>
    public static bool IsDrift(DriftMethod method, double statistic, double? pValue, double threshold) =>
        IsTest(method) ? pValue < threshold : statistic >= threshold;

    /// <summary>
    /// The <c>auto</c> rule (Evidently's): a categorical column, or a numeric one with at most 5 distinct reference values,
    /// gets chi-square when the reference has at most 1,000 rows and Jensen–Shannon above; any other numeric column gets
    /// Kolmogorov–Smirnov up to 1,000 reference rows and the normalised Wasserstein distance above.
    /// </summary>
    public static DriftMethod Choose(bool categorical, long referenceRows) => (categorical, referenceRows <= SmallReference) switch
    {
        (true, true) => DriftMethod.ChiSquare,
        (true, false) => DriftMethod.JensenShannon,
        (false, true) => DriftMethod.Ks,
        (false, false) => DriftMethod.Wasserstein,
    };
}
