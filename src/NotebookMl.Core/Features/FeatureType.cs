namespace NotebookMl.Core.Features;

/// <summary>The type of a feature's values.</summary>
public enum FeatureType
{
    /// <summary>64-bit integer.</summary>
    Int64,

    /// <summary>Double-precision number.</summary>
    Double,

    /// <summary>Text.</summary>
    String,

    /// <summary>True or false.</summary>
    Bool,

    /// <summary>A point in time (UTC).</summary>
    Timestamp,
}
