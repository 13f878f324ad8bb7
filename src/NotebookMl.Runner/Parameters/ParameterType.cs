namespace NotebookMl.Runner.Parameters;

/// <summary>The parameter types that translate into every kernel language.</summary>
public enum ParameterType
{
    /// <summary>A 32-bit integer.</summary>
    Int,

    /// <summary>A 64-bit integer.</summary>
    Long,

    /// <summary>A double-precision number.</summary>
    Double,

    /// <summary>True or false.</summary>
    Bool,

    /// <summary>Text.</summary>
    String,

    /// <summary>A date and time (ISO 8601 on the command line).</summary>
    DateTime,

    /// <summary>An array of integers.</summary>
    IntArray,

    /// <summary>An array of numbers.</summary>
    DoubleArray,

    /// <summary>An array of strings.</summary>
    StringArray,

    /// <summary>A type NotebookMl cannot set (e.g. an object); such a parameter cannot be overridden.</summary>
    Other,
}
