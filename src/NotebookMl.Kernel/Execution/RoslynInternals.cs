using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// The two Roslyn internals cells compile with; each is optional, and without it cells still
/// compile, only slower and with more memory kept per cell.
/// <list type="bullet">
/// <item>Sharing bound references. Every submission is a new compilation, and Roslyn binds all of
/// its metadata references again (its <c>ReferenceManager</c>: ~13 KB kept per cell and ~1 ms with
/// ~130 references, roslyn#43397). A submission that adds no reference gets a copy of the last bound
/// manager under its own assembly name: the copy shares every bound table, and Roslyn then builds the
/// submission's assembly symbol on its reuse path, as it does for compilations that share a manager.</item>
/// <item><c>BinderFlags.IgnoreCorLibraryDuplicatedTypes</c>, which Roslyn's own scripting sets:
/// a type in both System.Private.CoreLib and another runtime assembly is not ambiguous.</item>
/// </list>
/// </summary>
internal static class RoslynInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly FieldInfo? s_referenceManager = typeof(CSharpCompilation).GetField("_referenceManager", Instance);
    private static readonly FieldInfo? s_simpleName = FindField(s_referenceManager?.FieldType, "SimpleAssemblyName");
    private static readonly FieldInfo? s_isBound = FindField(s_referenceManager?.FieldType, "_isBound");
    private static readonly MethodInfo s_memberwiseClone = typeof(object).GetMethod("MemberwiseClone", Instance)!;
    private static readonly MethodInfo? s_withBinderFlags = typeof(CSharpCompilationOptions).GetMethod("WithTopLevelBinderFlags", Instance);
    private static readonly object? s_ignoreCorLibraryDuplicates = typeof(CSharpCompilationOptions).Assembly
        .GetType("Microsoft.CodeAnalysis.CSharp.BinderFlags")?.GetField("IgnoreCorLibraryDuplicatedTypes")?.GetValue(null);

    /// <summary>Whether this Roslyn has what <see cref="TryShareReferences"/> needs.</summary>
    public static bool CanShareReferences => s_referenceManager is not null && s_simpleName is not null && s_isBound?.FieldType == typeof(int);

    /// <summary>
    /// Gives <paramref name="submission"/>, not yet used, the bound references of <paramref name="bound"/>,
    /// which must have the same references (a submission inherits its predecessor's). False when
    /// <paramref name="bound"/> has not bound its references yet or this Roslyn differs.
    /// </summary>
    public static bool TryShareReferences(CSharpCompilation bound, CSharpCompilation submission)
    {
        if (!CanShareReferences || s_referenceManager!.GetValue(bound) is not { } manager || (int)s_isBound!.GetValue(manager)! == 0)
        {
            return false;
        }

        var copy = s_memberwiseClone.Invoke(manager, null)!;
        s_simpleName!.SetValue(copy, submission.AssemblyName);
        s_referenceManager.SetValue(submission, copy);
        return true;
    }

    /// <summary><paramref name="options"/> with duplicated CoreLib types ignored, as Roslyn's scripting compiles; unchanged when unavailable.</summary>
    public static CSharpCompilationOptions IgnoringCorLibraryDuplicates(CSharpCompilationOptions options) =>
        s_withBinderFlags is not null && s_ignoreCorLibraryDuplicates is not null
            ? (CSharpCompilationOptions)s_withBinderFlags.Invoke(options, [s_ignoreCorLibraryDuplicates])!
            : options;

    private static FieldInfo? FindField(Type? type, string name)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Instance | BindingFlags.DeclaredOnly) is { } field)
            {
                return field;
            }
        }

        return null;
    }
}
