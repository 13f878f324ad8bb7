using Microsoft.DotNet.Interactive;
using InteractiveKernel = Microsoft.DotNet.Interactive.Kernel;
using Microsoft.DotNet.Interactive.Events;
using NotebookMl.Extensions.Ml;
using FormattedValue = Microsoft.DotNet.Interactive.Formatting.FormattedValue;

namespace NotebookMl.Interactive;

/// <summary>
/// Loaded by .NET Interactive from this package's <c>interactive-extensions/dotnet/</c> folder
/// (<c>#r "nuget: NotebookMl.Interactive"</c>): adds every NotebookMl verb to the C# kernel as a magic
/// command, with the same names, options and answers as the notebookml kernel and CLI, and the same
/// formatters.
/// </summary>
public sealed class NotebookMlExtension : IKernelExtension
{
    /// <inheritdoc/>
    public Task OnLoadAsync(InteractiveKernel kernel)
    {
        SharedAssemblies.UseHostsCopies();
        var csharp = kernel.FindKernelByName("csharp") ?? kernel;
        var verbs = MlVerbs.Create(new CSharpVariables(csharp));
        new VerbDirectives(verbs).AddTo(csharp);

        MlFormatters.Register();
        // LiveProgress.Show(…) from a cell's own code draws here as in the notebookml kernel.
        NotebookMl.Kernel.Display.ProgressDisplay.OtherHost = title => new InteractiveVerbContext(KernelInvocationContext.Current, KernelInvocationContext.Current?.Command).StartProgress(title);
        // Runs started from a cell record the notebook (Jupyter's session name) and the cell, as in the notebookml kernel.
        NotebookMl.Core.Tracking.Tracker.AmbientSource = () => new NotebookMl.Core.Tracking.RunSource(Environment.GetEnvironmentVariable("JPY_SESSION_NAME"), InteractiveCell.Current());
        if (KernelInvocationContext.Current is { } context)
        {
            var line = $"NotebookMl {typeof(NotebookMlExtension).Assembly.GetName().Version?.ToString(3)} loaded into the '{csharp.Name}' kernel: {string.Join(", ", verbs.Select(v => "#!" + v.Name))}; cells can use NotebookMl.Core and NotebookMl.Training.";
            context.Publish(new DisplayedValueProduced(line, context.Command, [new FormattedValue("text/plain", line)]));
        }

        return Task.CompletedTask;
    }
}
