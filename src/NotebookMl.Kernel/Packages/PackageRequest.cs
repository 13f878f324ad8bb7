namespace NotebookMl.Kernel.Packages;

/// <summary>A package a cell asked for with <c>#r "nuget:Id[,Version]"</c>; no version means the latest stable.</summary>
public sealed record PackageRequest(string Id, string? Version)
{
    /// <summary>The version as MSBuild takes it (<c>*</c> floats to the latest stable).</summary>
    public string VersionOrLatest => Version ?? "*";
}
