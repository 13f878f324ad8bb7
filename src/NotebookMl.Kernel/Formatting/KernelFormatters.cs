using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Formatting;

/// <summary>Registers the kernel's renderings with the (process-wide) Formatter, once.</summary>
internal static class KernelFormatters
{
    private static readonly Lazy<bool> s_registered = new(() =>
    {
        DataFrameFormatter.Register();
        TableFormatter.Register();
        return true;
    });

    public static void RegisterDefaults() => _ = s_registered.Value;
}
