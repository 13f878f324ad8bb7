namespace NotebookMl.Kernel.Packages;

/// <summary>A restore failed; the message says why in one line.</summary>
internal sealed class PackageRestoreException(string message) : Exception(message);
