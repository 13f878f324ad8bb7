using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Tests;

/// <summary>Runs commands on a real kernel and collects the events they produced.</summary>
internal sealed class KernelHarness
{
    public KernelHarness(KernelOptions? options = null) => Kernel = new CSharpKernel(options);

    public CSharpKernel Kernel { get; }

    public async Task<Result> SubmitAsync(string code, InputProvider? input = null)
    {
        var events = new List<KernelEvent>();
        var final = await Kernel.SendAsync(new SubmitCode(code, input), e => { lock (events) { events.Add(e); } });
        return new Result(events, final);
    }

    public async Task<T> RequestAsync<T>(KernelCommand command) where T : KernelEvent
    {
        var events = new List<KernelEvent>();
        await Kernel.SendAsync(command, events.Add);
        return events.OfType<T>().Single();
    }

    public sealed record Result(IReadOnlyList<KernelEvent> Events, KernelEvent Final)
    {
        public bool Succeeded => Final is CommandSucceeded;

        public CommandFailed Failure => Final as CommandFailed ?? throw new InvalidOperationException("The command succeeded; events: " + string.Join(", ", Events));

        public string? PlainResult => Events.OfType<ReturnValueProduced>().SingleOrDefault()?.Values.Single(v => v.MimeType == "text/plain").Value;

        public string StandardOutput => string.Concat(Events.OfType<StandardStreamTextProduced>().Where(e => e.Stream == StandardStream.Output).Select(e => e.Text));

        public IReadOnlyList<IReadOnlyList<FormattedValue>> Displays => Events.OfType<DisplayedValueProduced>().Select(e => e.Values).ToArray();

        public string StandardError => string.Concat(Events.OfType<StandardStreamTextProduced>().Where(e => e.Stream == StandardStream.Error).Select(e => e.Text));

        public override string ToString() => $"{Final}: {string.Join(" | ", Events)}";
    }
}
