using System.Globalization;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Validation;

/// <summary>How the training rows are cut into folds.</summary>
public enum CvKind
{
    /// <summary>Consecutive blocks of rows, as scikit-learn's <c>KFold</c> (no shuffle).</summary>
    KFold,

    /// <summary>Each label value spread evenly over the folds, as <c>StratifiedKFold(shuffle=False)</c>.</summary>
    Stratified,

    /// <summary>Whole groups per fold (a group column's values), as <c>GroupKFold</c>.</summary>
    Group,

    /// <summary>Expanding windows in time order, validating on later rows, as <c>TimeSeriesSplit</c> (with a gap).</summary>
    Time,
}

/// <summary>
/// A cross-validation: the kind and the number of folds, written <c>5</c>, <c>kfold:5</c>, <c>stratified:5</c>,
/// <c>group:5</c> or <c>time:5</c>. Folds cut the training rows only; the held-out test rows are never in one.
/// </summary>
/// <param name="Kind">How rows go to folds.</param>
/// <param name="Folds">How many folds (at least 2).</param>
public sealed record CrossValidation(CvKind Kind, int Folds)
{
    /// <summary>Reads <c>K</c> or <c>KIND:K</c>; a bad one is an <see cref="InvalidOptionException"/> naming <paramref name="option"/>.</summary>
    public static CrossValidation Parse(string text, string option)
    {
        var (kind, count) = text.Split(':', 2) is [var k, var n] ? (k.Trim().ToLowerInvariant(), n.Trim()) : ("kfold", text.Trim());
        var parsed = kind switch
        {
            "kfold" => CvKind.KFold,
            "stratified" => CvKind.Stratified,
            "group" => CvKind.Group,
            "time" => CvKind.Time,
            _ => throw new InvalidOptionException(option, $"'{kind}' is not a kind of cross-validation; expected K, kfold:K, stratified:K, group:K or time:K."),
        };
        return int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var folds) && folds >= 2
            ? new CrossValidation(parsed, folds)
            : throw new InvalidOptionException(option, $"expected a number of folds of at least 2, got '{count}'.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Folds}";
}

/// <summary>
/// The gap of a time cross-validation between each fold's training rows and its validation block: a number of rows
/// (<c>24</c>, scikit-learn's <c>gap</c>) or a span of time (<c>1d</c>, <c>6h</c>) on the time column.
/// </summary>
/// <param name="Rows">Rows left out, when the gap is a count.</param>
/// <param name="Span">Time left out, when the gap is a span.</param>
public sealed record CvGap(int Rows, TimeSpan? Span)
{
    /// <summary>Reads <c>N</c> (rows) or a duration (<c>30m</c>, <c>1d</c>).</summary>
    public static CvGap Parse(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            ? new CvGap(rows, null)
            : new CvGap(0, Core.Time.Durations.Parse(text, option, positive: true));

    /// <inheritdoc/>
    public override string ToString() => Span is { } span ? Core.Time.Durations.Format(span) : Rows.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One fold: the positions it trains on and those it validates on, each ascending.</summary>
/// <param name="Train">Positions of the rows the fold's model is fitted on.</param>
/// <param name="Validation">Positions of the rows it predicts.</param>
public sealed record Fold(int[] Train, int[] Validation);
