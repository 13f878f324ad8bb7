using System.Reflection;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Extensions;

/// <summary>
/// An extension made of verbs: each becomes a magic command of the kernel (<c>#!name …</c>), cells may use
/// <paramref name="references"/>' types, and <paramref name="onLoad"/> registers whatever else it brings (formatters).
/// The CLI loads NotebookMl's ML verbs this way (<c>MlVerbs</c>); the verbs know nothing of this kernel.
/// </summary>
/// <param name="verbs">The verbs, given the notebook's variables.</param>
/// <param name="references">The assemblies cells may use.</param>
/// <param name="onLoad">Run once the verbs are added, or null.</param>
public sealed class VerbExtension(Func<IVariableSource, IReadOnlyList<IVerb>> verbs, IReadOnlyList<Assembly> references, Action? onLoad = null) : IKernelExtension
{
    /// <inheritdoc/>
    public Task OnLoadAsync(CSharpKernel kernel, CancellationToken cancellationToken)
    {
        foreach (var verb in verbs(kernel))
        {
            kernel.AddMagicCommand(verb);
        }

        kernel.AddReferences([.. references]);
        onLoad?.Invoke();
        return Task.CompletedTask;
    }
}
