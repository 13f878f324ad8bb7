using NotebookMl.Kernel;
using NotebookMl.Kernel.Extensions;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension the CLI bundles and every NotebookMl kernel loads: data profiling, experiment tracking (<c>#!runs</c>), the feature store (<c>#!features</c>), training (<c>#!train</c>); cells can use <c>NotebookMl.Core</c> (tracking, datasets).</summary>
public sealed class MlExtension : IKernelExtension
{
    /// <inheritdoc/>
    public Task OnLoadAsync(CSharpKernel kernel, CancellationToken cancellationToken)
    {
        foreach (var verb in MlVerbs.Create(kernel))
        {
            kernel.AddMagicCommand(verb);
        }

        kernel.AddReferences(typeof(NotebookMl.Core.Tracking.Tracker).Assembly, typeof(NotebookMl.Training.Tabular.TabularTrainer).Assembly, typeof(NotebookMl.Training.Torch.MlpLearner).Assembly, typeof(MlExtension).Assembly,
            typeof(Plotly.NET.GenericChart).Assembly, typeof(Plotly.NET.CSharp.Chart).Assembly);
        MlFormatters.Register();
        NotebookMl.Core.Tracking.Tracker.AmbientSource = () => new NotebookMl.Core.Tracking.RunSource(Environment.GetEnvironmentVariable("JPY_SESSION_NAME"), CSharpKernel.CurrentCell);
        return Task.CompletedTask;
    }
}
