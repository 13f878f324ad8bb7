using System.CommandLine;
using System.Globalization;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!time</c>: runs the rest of the cell and reports its wall time.</summary>
internal sealed class TimeVerb(CSharpKernel kernel) : IVerb
{
    public string Name => "time";

    public string Description => "Run the rest of the cell and report its wall-clock time.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(async (_, _) =>
        {
            if (context is not KernelVerbContext kernelContext)
            {
                throw new InvalidOperationException("#!time runs inside a notebook cell.");
            }

            var start = kernel.TimeProvider.GetTimestamp();
            var succeeded = await kernelContext.RunRestOfCellAsync();
            var elapsed = kernel.TimeProvider.GetElapsedTime(start);
            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wall time: {Format(elapsed)}{(succeeded ? "" : " (failed)")}"));
        });
        return command;
    }

    private static string Format(TimeSpan elapsed) => elapsed.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.###} ms");
}
