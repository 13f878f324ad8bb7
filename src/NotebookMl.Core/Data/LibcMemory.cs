using System.Runtime.InteropServices;

namespace NotebookMl.Core.Data;

/// <summary>The one call of Linux's sys/mman.h that <see cref="ColumnMemory"/> uses.</summary>
internal static partial class LibcMemory
{
    private const int HugePageAdvice = 14;

    /// <summary>madvise(MADV_HUGEPAGE): back the range with transparent huge pages where the system allows (advice: errors ignored).</summary>
    public static int AdviseHugePages(IntPtr address, nuint length) => Advise(address, length, HugePageAdvice);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(IntPtr address, nuint length, int advice);
}
