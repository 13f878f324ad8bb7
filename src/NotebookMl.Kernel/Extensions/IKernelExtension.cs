namespace NotebookMl.Kernel.Extensions;

/// <summary>
/// Adds magic commands (<see cref="CSharpKernel.AddMagicCommand"/>) and formatters
/// (<c>Formatter.Register</c>) to a kernel when loaded. Found in assemblies given to the kernel
/// and in a NuGet package's <c>interactive-extensions/dotnet/</c> folder after <c>#r "nuget:…"</c>.
/// An implementation needs a public parameterless constructor.
/// </summary>
public interface IKernelExtension
{
    /// <summary>Registers what the extension adds.</summary>
    Task OnLoadAsync(CSharpKernel kernel, CancellationToken cancellationToken);
}
