using System.Runtime.InteropServices;
using System.Text;

namespace NotebookMl.Core.Features.Historical;

/// <summary>
/// Codes of short text values looked up by their UTF-8 bytes: a value of up to 15 bytes is packed with its
/// length into 16 bytes, and an open-addressing table (at most half full) maps those to codes. Read-only
/// once built, so any number of threads may look up at once.
/// </summary>
internal sealed class ShortUtf8Table
{
    /// <summary>The longest value (in bytes) the table holds.</summary>
    public const int MaxLength = 15;

    private readonly UInt128[] _keys;
    private readonly int[] _codes;
    private readonly int _shift;

    /// <summary>A table of the values in <paramref name="codes"/> that are at most <see cref="MaxLength"/> UTF-8 bytes.</summary>
    public ShortUtf8Table(IReadOnlyDictionary<string, int> codes)
    {
        var bits = 4;
        while ((1 << bits) < codes.Count * 2)
        {
            bits++;
        }

        _shift = 64 - bits;
        _keys = new UInt128[1 << bits];
        _codes = new int[1 << bits];
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxLength)];
        foreach (var (text, code) in codes)
        {
            if (text.Length > MaxLength || Encoding.UTF8.GetByteCount(text) > MaxLength)
            {
                continue;
            }

            var key = Pack(bytes[..Encoding.UTF8.GetBytes(text, bytes)]);
            var slot = Slot(key);
            while (_codes[slot] != 0)
            {
                slot = (slot + 1) & (_codes.Length - 1);
            }

            (_keys[slot], _codes[slot]) = (key, code + 1);
        }
    }

    /// <summary>The code of <paramref name="utf8"/> (at most <see cref="MaxLength"/> bytes), or -1 when the table lacks it.</summary>
    public int Find(ReadOnlySpan<byte> utf8)
    {
        var key = Pack(utf8);
        for (var slot = Slot(key); ; slot = (slot + 1) & (_codes.Length - 1))
        {
            // Codes are stored plus one, so an empty slot is 0.
            var code = _codes[slot];
            if (code == 0 || _keys[slot] == key)
            {
                return code - 1;
            }
        }
    }

    private static UInt128 Pack(ReadOnlySpan<byte> utf8)
    {
        Span<byte> packed = stackalloc byte[16];
        packed.Clear();
        utf8.CopyTo(packed);
        packed[15] = (byte)utf8.Length;
        return MemoryMarshal.Read<UInt128>(packed);
    }

    private int Slot(UInt128 key)
    {
        var mixed = ((ulong)key * 0x9E37_79B9_7F4A_7C15UL) ^ ((ulong)(key >> 64) * 0xC2B2_AE3D_27D4_EB4FUL);
        return (int)((mixed ^ (mixed >> 29)) >> _shift);
    }
}
