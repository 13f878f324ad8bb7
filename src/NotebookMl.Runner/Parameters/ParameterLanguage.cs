namespace NotebookMl.Runner.Parameters;

/// <summary>The languages parameters are read from and written in.</summary>
public enum ParameterLanguage
{
    /// <summary>C# (NotebookMl, .NET Interactive).</summary>
    CSharp,

    /// <summary>Python (ipykernel), as papermill writes it.</summary>
    Python,
}
