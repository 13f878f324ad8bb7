using NotebookMl.Testing;

namespace NotebookMl.Notebooks.Tests.Support;

/// <summary>The sample notebooks checked in under tests/NotebookMl.Notebooks.Tests/Samples.</summary>
internal static class Samples
{
    public static string Path(string name) => RepoPaths.Of("tests", "NotebookMl.Notebooks.Tests", "Samples", name);

    public static string Text(string name) => File.ReadAllText(Path(name));
}
