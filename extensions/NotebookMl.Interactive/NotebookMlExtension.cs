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
        // Runs started from a cell record the notebook (Jupyter's session name) and the cell, as in the notebookml kernel:
        // each submission runs inside the cell's activity. (LiveProgress.Show(…) needs nothing: it displays through the
        // Formatting library, which this host shows and updates.)
        csharp.AddMiddleware(async (command, context, next) =>
        {
            // A cell's directives (#!train) reach this kernel as commands of their own, children of the cell's submission.
            using var cell = InteractiveCell.Of(command) is { } name ? NotebookMl.Verbs.CellActivity.Start(name) : null;
            await next(command, context);
        });
        if (KernelInvocationContext.Current is { } context)
        {
            var line = $"NotebookMl {typeof(NotebookMlExtension).Assembly.GetName().Version?.ToString(3)} loaded into the '{csharp.Name}' kernel: {string.Join(", ", verbs.Select(v => "#!" + v.Name))}; cells can use NotebookMl.Core and NotebookMl.Training.";
            context.Publish(new DisplayedValueProduced(line, context.Command, [new FormattedValue("text/plain", line)]));
        }

        return Task.CompletedTask;
    }
}
