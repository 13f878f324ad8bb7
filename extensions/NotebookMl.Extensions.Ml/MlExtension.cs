using NotebookMl.Extensions.Ml.Profiling;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Extensions;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension the CLI bundles and every NotebookMl kernel loads: data profiling for now.</summary>
public sealed class MlExtension : IKernelExtension
{
    /// <inheritdoc/>
    public Task OnLoadAsync(CSharpKernel kernel, CancellationToken cancellationToken)
    {
        kernel.AddMagicCommand(new ProfileVerb(kernel));
        return Task.CompletedTask;
    }
}
