using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookMl.Kernel.Packages;

/// <summary>
/// Restores packages with the .NET SDK itself: writes a throwaway project referencing them,
/// publishes it for this runtime (so the right native assets are copied) and reads the result.
/// </summary>
internal static partial class PackageRestore
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    /// <summary>Restores into <paramref name="folder"/>; throws <see cref="PackageRestoreException"/> with a user-facing message.</summary>
    public static async Task<RestoredPackages> RunAsync(
        string dotnet, string folder, IReadOnlyCollection<PackageRequest> packages, IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        var project = Path.Combine(folder, "project");
        var output = Path.Combine(folder, "out");
        Directory.CreateDirectory(project);
        // Empty files stop MSBuild from picking up a Directory.Build.props/Packages.props above the cache.
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(project, "restore.csproj"), ProjectText(packages, sources));

        var (exitCode, log) = await RunDotnetAsync(dotnet, project, output, cancellationToken);
        if (exitCode != 0)
        {
            throw new PackageRestoreException(Explain(log, packages));
        }

        var assets = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")))!;
        return new RestoredPackages(
            Directory.GetFiles(output, "*.dll").Where(p => Path.GetFileName(p) != "restore.dll" && IsManaged(p)).Order(StringComparer.Ordinal).ToArray(),
            output,
            ExtensionAssemblies(assets),
            Versions(assets));
    }

    private static string ProjectText(IReadOnlyCollection<PackageRequest> packages, IReadOnlyCollection<string> sources)
    {
        var references = string.Join("\n", packages.Select(p =>
            $"    <PackageReference Include=\"{SecurityElement.Escape(p.Id)}\" Version=\"{SecurityElement.Escape(p.VersionOrLatest)}\" />"));
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <RuntimeIdentifier>{RuntimeInformation.RuntimeIdentifier}</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
                <UseAppHost>false</UseAppHost>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
                <CopyDocumentationFilesFromPackages>true</CopyDocumentationFilesFromPackages>
                <RestoreAdditionalProjectSources>{SecurityElement.Escape(string.Join(";", sources))}</RestoreAdditionalProjectSources>
                <NoWarn>$(NoWarn);NU1603;NU1701</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """;
    }

    private static async Task<(int ExitCode, string Log)> RunDotnetAsync(string dotnet, string project, string output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", "restore.csproj", "-c", "Release", "-o", output, "--nologo", "-v", "quiet", "-clp:NoSummary" })
        {
            info.ArgumentList.Add(argument);
        }

        // A kernel started by `dotnet test` or `dotnet run` inherits MSBuild's variables; a nested build must not.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new PackageRestoreException($"Could not start '{dotnet}' to restore packages; is the .NET SDK installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new PackageRestoreException($"Restoring packages did not finish within {s_timeout.TotalMinutes:0} minutes.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Explain(string log, IReadOnlyCollection<PackageRequest> packages)
    {
        if (NotFound().Match(log) is { Success: true } notFound)
        {
            return $"NuGet package '{notFound.Groups["id"].Value}' was not found in the configured package sources. Check the name, or add a source with #i \"nuget:<url or folder>\".";
        }

        if (NoVersion().Match(log) is { Success: true } noVersion)
        {
            var id = noVersion.Groups["id"].Value;
            var requested = packages.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
            return $"NuGet package '{id}' has no version {requested?.Version ?? "matching"} in the configured package sources.";
        }

        var firstError = log.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
        return $"Restoring {string.Join(", ", packages.Select(p => p.Id))} failed: {ErrorPrefix().Replace(firstError ?? log.Trim(), "")}";
    }

    private static IReadOnlyList<string> ExtensionAssemblies(JsonNode assets)
    {
        var folders = assets["packageFolders"]?.AsObject().Select(p => p.Key).ToArray() ?? [];
        var result = new List<string>();
        foreach (var (_, library) in assets["libraries"]?.AsObject() ?? [])
        {
            if (library?["type"]?.GetValue<string>() != "package" || library["path"]?.GetValue<string>() is not { } path)
            {
                continue;
            }

            foreach (var folder in folders)
            {
                var extensions = Path.Combine(folder, path, "interactive-extensions", "dotnet");
                if (Directory.Exists(extensions))
                {
                    result.AddRange(Directory.GetFiles(extensions, "*.dll"));
                }
            }
        }

        return result;
    }

    private static IReadOnlyDictionary<string, string> Versions(JsonNode assets) =>
        (assets["libraries"]?.AsObject() ?? [])
            .Select(p => p.Key.Split('/'))
            .GroupBy(parts => parts[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.OrdinalIgnoreCase);

    private static bool IsManaged(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        return reader.HasMetadata;
    }

    [GeneratedRegex(@"NU1101: Unable to find package (?<id>[^\s.]+(\.[^\s.]+)*)\.")]
    private static partial Regex NotFound();

    [GeneratedRegex(@"NU110[23]: Unable to find (a stable package|package) (?<id>\S+) with version")]
    private static partial Regex NoVersion();

    [GeneratedRegex(@"^.*?:\s*error\s+")]
    private static partial Regex ErrorPrefix();
}
