using System.Reflection;

namespace NotebookMl.Kernel;

/// <summary>Facts about this kernel that hosts report (Jupyter's kernel_info, <c>--version</c>).</summary>
public static class KernelInfo
{
    /// <summary>The NotebookMl version, e.g. <c>0.1.0</c>.</summary>
    public static string Version { get; } =
        typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The C# language version cells are compiled with.</summary>
    public static string LanguageVersion => "14.0";
}
