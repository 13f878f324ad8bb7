using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// MSBuild task (RoslynCodeTaskFactory, Directory.Build.targets): makes TorchSharp 0.107's
/// libLibTorchSharp.so load where the system libstdc++ lacks GLIBCXX_3.4.32 (Debian 12). The library
/// needs that version for one symbol, std::ios_base_library_init(), which nothing relocates against
/// (GCC 13 headers only reference it, to pull in the newer libstdc++). Two byte edits in the output
/// copy, no tool needed: the symbol's entry in .gnu.version becomes unversioned (1), and the
/// version need in .gnu.version_r is flagged VER_FLG_WEAK, so ld.so accepts its absence.
/// Never fails the build: anything unexpected is a warning, and TorchSharp then says why where used.
/// </summary>
public sealed class GlibcxxVersionPatch : Task
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Symbol = "_ZSt21ios_base_library_initv";
    private const uint ShtDynsym = 11, ShtGnuVersym = 0x6fffffff, ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The folder holding libLibTorchSharp.so.</summary>
    [Required]
    public string NativeFolder { get; set; } = "";

    public override bool Execute()
    {
        var library = Path.Combine(NativeFolder, "libLibTorchSharp.so");
        if (!File.Exists(library) || SystemLibstdcxxHasVersion())
        {
            return true;
        }

        try
        {
            var data = File.ReadAllBytes(library);
            var outcome = Patch(data);
            if (outcome == "patched")
            {
                // Write a copy and move it into place: the output file may be a link into the NuGet cache.
                var temporary = library + ".notebookml-patch";
                File.WriteAllBytes(temporary, data);
                File.Delete(library);
                File.Move(temporary, library);
                Log.LogMessage(MessageImportance.High, $"TorchSharp: {library} patched to load without {Version} (build/torchsharp-glibcxx/README.md).");
            }
            else if (outcome != "unchanged")
            {
                Log.LogWarning($"TorchSharp: {library} was not patched ({outcome}); the MLP and CNN learners will not load on this machine.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException)
        {
            Log.LogWarning($"TorchSharp: {library} could not be patched ({e.Message}); the MLP and CNN learners will not load on this machine.");
        }

        return true;
    }

    private static bool SystemLibstdcxxHasVersion()
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        foreach (var path in candidates)
        {
            if (File.Exists(path))
            {
                return IndexOf(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(Version + "\0"), 0) >= 0;
            }
        }

        return false;
    }

    /// <summary>Edits <paramref name="data"/> in place; returns "patched", "unchanged" (nothing to do), or why it cannot.</summary>
    internal static string Patch(byte[] data)
    {
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F' || data[4] != 2 || data[5] != 1)
        {
            return "not a little-endian 64-bit ELF file";
        }

        var shoff = (long)BitConverter.ToUInt64(data, 0x28);
        int shentsize = BitConverter.ToUInt16(data, 0x3A), shnum = BitConverter.ToUInt16(data, 0x3C);
        long Offset(int i) => (long)BitConverter.ToUInt64(data, (int)(shoff + (i * shentsize) + 24));
        uint Type(int i) => BitConverter.ToUInt32(data, (int)(shoff + (i * shentsize) + 4));
        long Size(int i) => (long)BitConverter.ToUInt64(data, (int)(shoff + (i * shentsize) + 32));
        int Link(int i) => (int)BitConverter.ToUInt32(data, (int)(shoff + (i * shentsize) + 40));
        int Info(int i) => (int)BitConverter.ToUInt32(data, (int)(shoff + (i * shentsize) + 44));
        string Text(long at)
        {
            var end = Array.IndexOf(data, (byte)0, (int)at);
            return Encoding.ASCII.GetString(data, (int)at, end - (int)at);
        }

        int dynsym = -1, versym = -1, verneed = -1;
        for (var i = 0; i < shnum; i++)
        {
            switch (Type(i))
            {
                case ShtDynsym: dynsym = i; break;
                case ShtGnuVersym: versym = i; break;
                case ShtGnuVerneed: verneed = i; break;
            }
        }

        if (dynsym < 0 || versym < 0 || verneed < 0)
        {
            return "no symbol version sections";
        }

        // The version need: its index (vna_other) and where its flags are.
        var strings = Offset(Link(verneed));
        int versionIndex = -1, flagsAt = -1;
        var need = Offset(verneed);
        for (var n = 0; n < Info(verneed); n++)
        {
            int count = BitConverter.ToUInt16(data, (int)need + 2);
            var aux = need + BitConverter.ToUInt32(data, (int)need + 8);
            for (var a = 0; a < count; a++)
            {
                if (Text(strings + BitConverter.ToUInt32(data, (int)aux + 8)) == Version)
                {
                    versionIndex = BitConverter.ToUInt16(data, (int)aux + 6);
                    flagsAt = (int)aux + 4;
                }

                aux += BitConverter.ToUInt32(data, (int)aux + 12);
            }

            need += BitConverter.ToUInt32(data, (int)need + 12);
        }

        if (versionIndex < 0)
        {
            return "unchanged";
        }

        // Every symbol bound to that version must be the one nothing relocates against.
        var names = Offset(Link(dynsym));
        var symbols = Size(dynsym) / 24;
        var changed = false;
        for (var s = 0; s < symbols; s++)
        {
            var entry = (int)(Offset(versym) + (s * 2));
            if ((BitConverter.ToUInt16(data, entry) & 0x7fff) != versionIndex)
            {
                continue;
            }

            var name = Text(names + BitConverter.ToUInt32(data, (int)(Offset(dynsym) + (s * 24))));
            if (name != Symbol)
            {
                return $"symbol {name} needs {Version}";
            }

            data[entry] = 1;
            data[entry + 1] = 0;
            changed = true;
        }

        var flags = BitConverter.ToUInt16(data, flagsAt);
        if ((flags & VerFlgWeak) == 0)
        {
            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(data, flagsAt);
            changed = true;
        }

        return changed ? "patched" : "unchanged";
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        for (var i = Array.IndexOf(haystack, needle[0], from); i >= 0 && i <= haystack.Length - needle.Length; i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            var match = true;
            for (var j = 1; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
