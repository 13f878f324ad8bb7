using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace NotebookMl.Testing;

/// <summary>
/// Approved-file snapshots in the manner of Verify (whose core package the NuGet copy served here
/// lacks): the approved text lives beside the test as <c>Class.Method.verified.ext</c>; a mismatch
/// writes <c>.received.ext</c> next to it and fails. Set NOTEBOOKML_ACCEPT_SNAPSHOTS=1 to accept.
/// </summary>
public static class Snapshot
{
    /// <summary>Compares <paramref name="actual"/> with the approved snapshot of the calling test.</summary>
    public static void Verify(
        string actual,
        string extension = "txt",
        string? name = null,
        [CallerFilePath] string file = "",
        [CallerMemberName] string member = "")
    {
        var folder = Path.GetDirectoryName(file)!;
        var stem = $"{Path.GetFileNameWithoutExtension(file)}.{name ?? member}";
        var verified = Path.Combine(folder, $"{stem}.verified.{extension}");
        var received = Path.Combine(folder, $"{stem}.received.{extension}");
        var normalized = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("NOTEBOOKML_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, normalized);
        }

        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == normalized)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        throw new XunitException(File.Exists(verified)
            ? $"Snapshot differs from {verified}; see {received}."
            : $"No approved snapshot {verified}; the received output is in {received}.");
    }
}
