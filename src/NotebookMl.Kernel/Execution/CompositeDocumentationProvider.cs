using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace NotebookMl.Kernel.Execution;

/// <summary>Looks a symbol's XML documentation up in several files (each read only when first needed).</summary>
internal sealed class CompositeDocumentationProvider(IReadOnlyList<string> xmlFiles) : DocumentationProvider
{
    // DocumentationProvider.GetDocumentationForSymbol is protected; composing providers needs to call it on others.
    private static readonly MethodInfo s_lookup = typeof(DocumentationProvider).GetMethod(
        "GetDocumentationForSymbol", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;

    private readonly Lazy<DocumentationProvider[]> _providers =
        new(() => xmlFiles.Select(f => (DocumentationProvider)XmlDocumentationProvider.CreateFromFile(f)).ToArray());

    protected override string? GetDocumentationForSymbol(string documentationMemberID, CultureInfo preferredCulture, CancellationToken cancellationToken = default)
    {
        foreach (var provider in _providers.Value)
        {
            if (s_lookup.Invoke(provider, [documentationMemberID, preferredCulture, cancellationToken]) is string { Length: > 0 } xml)
            {
                return xml;
            }
        }

        return null;
    }

    public override bool Equals(object? obj) => obj is CompositeDocumentationProvider other && xmlFiles.SequenceEqual(other.Files);

    public override int GetHashCode() => xmlFiles.Count;

    private IReadOnlyList<string> Files => xmlFiles;
}
