using System.Reflection;

namespace NotebookMl.Notebooks.Tests;

public sealed class ConventionTests
{
    [Fact]
    public void Every_public_type_is_sealed_static_or_an_enum_and_lives_in_the_root_namespace()
    {
        // Given the public types of NotebookMl.Notebooks
        var types = typeof(NotebookDocument).Assembly.GetExportedTypes();

        // When those not sealed (static classes are abstract and sealed) or outside the namespace are picked
        var offenders = types
            .Where(t => !t.IsSealed || t.Namespace != "NotebookMl.Notebooks")
            .Select(t => t.FullName)
            .ToList();

        // Then there are none, and the API other projects call is there
        Assert.Empty(offenders);
        Assert.Equal(
            ["CellKind", "DibSerializer", "IpynbSerializer", "NotebookCell", "NotebookConverter", "NotebookDocument", "NotebookFile", "NotebookFormat", "NotebookFormatException"],
            types.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
