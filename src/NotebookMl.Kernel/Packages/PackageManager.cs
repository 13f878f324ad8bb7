using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Execution;

namespace NotebookMl.Kernel.Packages;

/// <summary>
/// The packages a kernel has asked for. Every <c>#r "nuget:…"</c> restores the whole set again (so
/// shared dependencies get one version) through a cache keyed by the set, shared by all kernels:
/// a set restored once, by any kernel, costs a file read afterwards.
/// </summary>
internal sealed class PackageManager(KernelOptions options, IEnumerable<string> defaultReferenceNames)
{
    private readonly Dictionary<string, PackageRequest> _requested = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _referenced = new(defaultReferenceNames, StringComparer.OrdinalIgnoreCase);
    private bool _restored;
    private readonly HashSet<string> _loadedExtensions = new(StringComparer.Ordinal);

    public async Task<PackageResolution> ResolveAsync(PackageDirectives directives, SubmissionContext context, CancellationToken cancellationToken)
    {
        foreach (var source in directives.Sources.Where(s => !_sources.Contains(s)))
        {
            _sources.Add(Directory.Exists(source) ? Path.GetFullPath(source) : source);
        }

        foreach (var package in directives.Packages)
        {
            if (_requested.TryGetValue(package.Id, out var earlier) && earlier.Version != package.Version && _restored)
            {
                return PackageResolution.Failed(
                    $"Package '{package.Id}' is already loaded in this kernel at version {earlier.Version ?? "latest"}; restart the kernel to use {package.Version ?? "the latest version"}.");
            }

            _requested[package.Id] = package;
        }

        if (_requested.Count == 0)
        {
            return new PackageResolution([], [], null);
        }

        RestoredPackages restored;
        try
        {
            restored = await RestoreOrReadCacheAsync(context, cancellationToken);
        }
        catch (PackageRestoreException e)
        {
            foreach (var package in directives.Packages)
            {
                _requested.Remove(package.Id);
            }

            return PackageResolution.Failed(e.Message);
        }

        NativeLibraryProbe.AddDirectory(restored.OutputDirectory);
        _restored = true;
        // A package assembly the kernel already compiles against (Microsoft.Data.Analysis, say) keeps the kernel's copy.
        var fresh = restored.Assemblies
            .Where(path => _referenced.Add(Path.GetFileNameWithoutExtension(path)))
            .Select(path => DefaultReferences.FromFile(path))
            .ToArray();
        var extensions = restored.ExtensionAssemblies.Where(_loadedExtensions.Add).ToArray();
        var installed = directives.Packages.Select(p => $"{p.Id} {restored.Versions.GetValueOrDefault(p.Id, p.VersionOrLatest)}");
        context.Write(StandardStream.Output, $"Installed package{(directives.Packages.Count == 1 ? "" : "s")}: {string.Join(", ", installed)}\n");
        return new PackageResolution(fresh, extensions, null);
    }

    private async Task<RestoredPackages> RestoreOrReadCacheAsync(SubmissionContext context, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(options.PackageCacheDirectory, CacheKey());
        var manifest = Path.Combine(folder, "restored.json");
        if (RestoredPackages.Read(manifest) is { } cached && cached.Assemblies.All(File.Exists))
        {
            return cached;
        }

        context.Write(StandardStream.Output, $"Restoring {string.Join(", ", _requested.Values.Select(p => p.Id))}…\n");
        context.FlushStreams();
        // Restore into a private folder and move it into place, so kernels restoring the same set at once never see half a result.
        var staging = $"{folder}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var restored = await PackageRestore.RunAsync(options.DotnetExecutable, staging, _requested.Values, _sources, cancellationToken);
        restored = Relocate(restored, staging, folder);
        restored.Write(Path.Combine(staging, "restored.json"));
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true);
            return RestoredPackages.Read(manifest) ?? throw new PackageRestoreException($"The package cache {folder} is damaged; delete it and run the cell again.");
        }

        return restored;
    }

    private static RestoredPackages Relocate(RestoredPackages restored, string from, string to) => restored with
    {
        Assemblies = restored.Assemblies.Select(p => to + p[from.Length..]).ToArray(),
        OutputDirectory = to + restored.OutputDirectory[from.Length..],
    };

    private string CacheKey()
    {
        var identity = string.Join("\n", _requested.Values.Select(p => $"{p.Id.ToLowerInvariant()}/{p.VersionOrLatest}").Order(StringComparer.Ordinal))
            + "\n" + string.Join("\n", _sources) + "\n" + Environment.Version;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..24];
    }
}
