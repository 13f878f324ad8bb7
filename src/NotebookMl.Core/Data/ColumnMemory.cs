using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NotebookMl.Core.Data;

/// <summary>
/// Arrays for columns of millions of rows, backed by transparent huge pages where Linux allows: from 1 MiB
/// up, the 2 MiB pages the array lies in are advised <c>MADV_HUGEPAGE</c> before anything touches them, so
/// first writing 2 MiB costs one page fault instead of 512. In a virtual machine, where a fault is dear
/// (13 µs measured here), that was most of the time spent copying 3M rows into fresh memory. The arrays
/// are ordinary managed arrays; the advice changes how the kernel backs them, nothing else.
/// </summary>
internal static unsafe class ColumnMemory
{
    private const long Threshold = 1 << 20;
    private const long HugePage = 2 << 20;
    private static readonly bool s_advise = OperatingSystem.IsLinux();

    /// <summary>A zeroed array of <paramref name="length"/> values.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged => Advise(new T[length]);

    /// <summary>An array of <paramref name="length"/> values to be overwritten (contents undefined).</summary>
    public static T[] AllocateUninitialized<T>(int length)
        where T : unmanaged => Advise(GC.AllocateUninitializedArray<T>(length));

    /// <summary>A zeroed array of <paramref name="length"/> values starting with <paramref name="array"/>'s.</summary>
    public static T[] Resize<T>(T[] array, int length)
        where T : unmanaged
    {
        var grown = Allocate<T>(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(grown);
        return grown;
    }

    private static T[] Advise<T>(T[] array)
        where T : unmanaged
    {
        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (!s_advise || bytes < Threshold)
        {
            return array;
        }

        // Large arrays are not moved by the GC (the large object heap is not compacted unless asked), and
        // advice on memory that did move would only be wasted. The pages at either end may hold other
        // objects of this heap: advice changes how memory is backed, never what it holds.
        fixed (T* data = array)
        {
            var start = (long)data & ~(HugePage - 1);
            var end = ((long)data + bytes + HugePage - 1) & ~(HugePage - 1);
            if (end > start)
            {
                _ = LibcMemory.AdviseHugePages((IntPtr)start, (nuint)(end - start));
            }
        }

        return array;
    }
}
