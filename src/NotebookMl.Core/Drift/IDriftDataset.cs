namespace NotebookMl.Core.Drift;

/// <summary>What a column holds, for drift: numbers, categories (text, booleans), times, or something drift cannot compare.</summary>
public enum DriftColumnKind
{
    /// <summary>Integers, decimals and floating point.</summary>
    Numeric,

    /// <summary>Text, booleans, enums.</summary>
    Categorical,

    /// <summary>Dates and timestamps: compared (as seconds since 1970) only when named.</summary>
    Temporal,

    /// <summary>Lists, structs, blobs: never compared.</summary>
    Other,
}

/// <summary>A column of a data set and what it holds.</summary>
/// <param name="Name">The column.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Type">Its type as the source names it (DuckDB's type, or the profile's kind).</param>
public sealed record DriftColumnInfo(string Name, DriftColumnKind Kind, string Type);

/// <summary>One side of a drift comparison: a data set whose columns can be read one at a time, from several threads.</summary>
public interface IDriftDataset : IDisposable
{
    /// <summary>What the data set is, for reports (a path, a query, <c>models:/NAME/3 (reference statistics)</c>).</summary>
    string Description { get; }

    /// <summary>Its rows.</summary>
    long Rows { get; }

    /// <summary>Its columns, in order.</summary>
    IReadOnlyList<DriftColumnInfo> Columns { get; }

    /// <summary>The values of <paramref name="column"/>: sorted numbers, or counts per category when <paramref name="categorical"/>.</summary>
    ColumnDistribution Read(DriftColumnInfo column, bool categorical);
}
