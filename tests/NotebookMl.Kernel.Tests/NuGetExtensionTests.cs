using NotebookMl.Testing;

namespace NotebookMl.Kernel.Tests;

/// <summary>
/// An extension shipped the .NET Interactive way, in a NuGet package's interactive-extensions/dotnet
/// folder, is loaded by <c>#r "nuget:…"</c>. The package is built by the real <c>dotnet pack</c>
/// into a local feed that the cell adds with <c>#i</c>.
/// </summary>
public sealed class NuGetExtensionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-nuget-extension-").FullName;

    [Fact]
    public async Task A_package_with_an_interactive_extension_adds_its_magic_command()
    {
        // A fresh version each run: NuGet's global packages folder keeps whatever it extracted once.
        var version = $"1.0.0-run{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var feed = await PackExtensionAsync(version);
        var kernel = new KernelHarness(new KernelOptions { PackageCacheDirectory = Path.Combine(_folder, "cache") });

        var install = await kernel.SubmitAsync($"#i \"nuget:{feed}\"\n#r \"nuget:NotebookMl.Sample.Extension,{version}\"");
        var magic = await kernel.SubmitAsync("#!wave Ada");

        Assert.True(install.Succeeded, install.ToString());
        Assert.Equal("👋 Ada\n", magic.StandardOutput);
    }

    private async Task<string> PackExtensionAsync(string version)
    {
        var project = Directory.CreateDirectory(Path.Combine(_folder, "extension")).FullName;
        var kernelAssembly = typeof(CSharpKernel).Assembly.Location;
        var commandLine = typeof(System.CommandLine.Command).Assembly.Location;
        var verbs = typeof(NotebookMl.Verbs.IVerb).Assembly.Location;
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(project, "NotebookMl.Sample.Extension.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Version>{version}</Version>
                <IncludeBuildOutput>false</IncludeBuildOutput>
                <NoWarn>$(NoWarn);NU5100;NU5128</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="NotebookMl.Kernel" HintPath="{kernelAssembly}" Private="false" />
                <Reference Include="NotebookMl.Verbs" HintPath="{verbs}" Private="false" />
                <Reference Include="System.CommandLine" HintPath="{commandLine}" Private="false" />
                <None Include="$(OutputPath)$(AssemblyName).dll" Pack="true" PackagePath="interactive-extensions/dotnet" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "WaveExtension.cs"), """
            using System.CommandLine;
            using NotebookMl.Kernel;
            using NotebookMl.Kernel.Extensions;
            using NotebookMl.Verbs;

            public sealed class WaveExtension : IKernelExtension
            {
                public Task OnLoadAsync(CSharpKernel kernel, CancellationToken cancellationToken)
                {
                    kernel.AddMagicCommand(new WaveVerb());
                    return Task.CompletedTask;
                }
            }

            public sealed class WaveVerb : IVerb
            {
                public string Name => "wave";
                public string Description => "Wave at someone.";
                public Command CreateCommand(IVerbContext context)
                {
                    var who = new Argument<string>("who");
                    var command = new Command(Name, Description) { who };
                    command.SetAction(parse => context.WriteLine("👋 " + parse.GetValue(who)));
                    return command;
                }
            }
            """);
        var feed = Directory.CreateDirectory(Path.Combine(_folder, "feed")).FullName;
        var build = await ProcessRunner.RunAsync("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(3), removeVariables: ProcessRunner.BuildHostVariables());
        Assert.True(build.ExitCode == 0, build.Output);
        var pack = await ProcessRunner.RunAsync("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", feed, "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(3), removeVariables: ProcessRunner.BuildHostVariables());
        Assert.True(pack.ExitCode == 0, pack.Output);
        return feed;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
