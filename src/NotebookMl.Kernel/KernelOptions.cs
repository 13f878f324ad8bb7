namespace NotebookMl.Kernel;

/// <summary>Settings of a <see cref="CSharpKernel"/>, checked when the kernel is built.</summary>
public sealed record KernelOptions
{
    /// <summary>The clock for timings and timers; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where restored <c>#r "nuget:…"</c> packages are cached, shared by every kernel on the machine.
    /// Default: <c>$NOTEBOOKML_PACKAGES</c>, else <c>$XDG_CACHE_HOME/notebookml/packages</c>, else <c>~/.cache/notebookml/packages</c>.
    /// </summary>
    public string PackageCacheDirectory { get; init; } = DefaultPackageCacheDirectory();

    /// <summary>
    /// Whether completions and hover are made ready in the background from the kernel's start (Roslyn's
    /// Features composed and a first request answered), so the first Tab or Shift+Tab is quick. A
    /// headless run has nobody typing: <c>NOTEBOOKML_LANGUAGE_SERVICES=on-demand</c> (set by the runner) skips it.
    /// </summary>
    public bool PrepareLanguageServices { get; init; } = Environment.GetEnvironmentVariable(LanguageServicesVariable) != "on-demand";

    /// <summary>The environment variable read by <see cref="PrepareLanguageServices"/>.</summary>
    public const string LanguageServicesVariable = "NOTEBOOKML_LANGUAGE_SERVICES";

    /// <summary>The program that restores packages: the .NET SDK's <c>dotnet</c>.</summary>
    public string DotnetExecutable { get; init; } = "dotnet";

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (string.IsNullOrWhiteSpace(PackageCacheDirectory))
        {
            throw new ArgumentException("PackageCacheDirectory must be a folder path.", nameof(PackageCacheDirectory));
        }
    }

    private static string DefaultPackageCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("NOTEBOOKML_PACKAGES") is { Length: > 0 } explicitFolder)
        {
            return explicitFolder;
        }

        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "notebookml", "packages");
    }
}
