using System.Text;
using System.Text.RegularExpressions;

namespace NotebookMl.Kernel.Packages;

/// <summary>
/// The <c>#r "nuget:Id[,Version]"</c> and <c>#i "nuget:source"</c> lines of a piece of code, and the
/// code with those lines blanked (line numbers kept) for the compiler.
/// </summary>
public sealed partial record PackageDirectives(string Code, IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources)
{
    /// <summary>True when the code asked for packages or sources.</summary>
    public bool HasPackages => Packages.Count > 0 || Sources.Count > 0;

    /// <summary>Finds the directives in <paramref name="code"/>.</summary>
    public static PackageDirectives Extract(string code)
    {
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        var lines = code.Split('\n');
        var result = new StringBuilder(code.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (PackageReference().Match(line) is { Success: true } package)
            {
                var version = package.Groups["version"].Value.Trim();
                packages.Add(new PackageRequest(package.Groups["id"].Value.Trim(), version.Length == 0 ? null : version));
                line = "";
            }
            else if (PackageSource().Match(line) is { Success: true } source)
            {
                sources.Add(source.Groups["source"].Value.Trim());
                line = "";
            }

            result.Append(line);
            if (i < lines.Length - 1)
            {
                result.Append('\n');
            }
        }

        return new PackageDirectives(result.ToString(), packages, sources);
    }

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"]*))?"\s*$""")]
    private static partial Regex PackageReference();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]+)"\s*$""")]
    private static partial Regex PackageSource();
}
