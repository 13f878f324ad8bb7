using System.CommandLine;
using System.Globalization;
using NotebookMl.Core.Data;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Training.Registration;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>#!models</c> / <c>notebookml models</c>: the model registry. <c>register NAME --run RUN_ID | --onnx FILE</c>,
/// <c>list</c>, <c>show NAME[/VERSION|@ALIAS]</c>, <c>alias NAME ALIAS VERSION</c> (or <c>--delete</c>),
/// <c>promote NAME/VERSION --to ALIAS</c> (gated), <c>history NAME</c>, <c>archive NAME/VERSION</c>,
/// <c>export</c> (a Triton repository), <c>webhook add|list|remove|deliveries</c>, and the traffic routes <c>canary</c>,
/// <c>shadow</c> and <c>shadow-report</c>. A model may also be named by its URI (<c>models:/NAME@champion</c>).
/// </summary>
public sealed class ModelsVerb(Func<ModelRegistry>? registry = null, Func<Tracker>? tracker = null) : IVerb
{
    private readonly Func<ModelRegistry> _registry = registry ?? (() => ModelRegistry.Open(Core.Workspaces.WorkspaceLocation.CurrentExisting()));
    private readonly Func<Tracker> _tracker = tracker ?? Tracker.ForExistingWorkspace;

    /// <inheritdoc/>
    public string Name => "models";

    /// <inheritdoc/>
    public string Description => "The model registry: register versions from runs, list, show lineage, promote through gates to aliases (champion…) with their history, archive, export, webhooks.";

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(Register(context));
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Alias(context));
        command.Subcommands.Add(ModelPromotion.Command(context, _registry));
        command.Subcommands.Add(History(context));
        command.Subcommands.Add(Archive(context));
        command.Subcommands.Add(Tag(context));
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(ModelPublishing.Command(context, _registry));
        command.Subcommands.Add(WebhookCommands.Create(context, _registry));
        command.Subcommands.Add(FeedbackCommand.Create(context, _registry));
        foreach (var traffic in TrafficCommands.Create(context, _registry))
        {
            command.Subcommands.Add(traffic);
        }

        return command;
    }

    private Command Register(IVerbContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model (created on first registration)." };
        var run = new Option<string?>("--run") { Description = "The tracked run whose ONNX model, metrics, params, feature views and reference statistics to register (id or unique prefix)." };
        var onnx = new Option<string?>("--onnx") { Description = "An ONNX file to register without a run." };
        var reference = new Option<string?>("--reference") { Description = "With --onnx: rows (Parquet, CSV or Arrow) to compute reference statistics and the recorded prediction sample from." };
        var description = new Option<string?>("--description") { Description = "What the model predicts." };
        var command = new Command("register", "Register a new version: the run's ONNX model with its metrics, params, lineage and reference statistics, or an ONNX file.") { name, run, onnx, reference, description };
        command.SetAction(parse =>
        {
            var (runId, file) = (parse.GetValue(run), parse.GetValue(onnx));
            if ((runId is null) == (file is null))
            {
                throw new ArgumentException("give either --run RUN_ID or --onnx FILE.");
            }

            if (runId is not null && parse.GetValue(reference) is not null)
            {
                throw new ArgumentException("--reference: only with --onnx; a run's reference statistics were saved when it trained.");
            }

            ModelRegistration registration;
            if (runId is not null)
            {
                registration = ModelRegistrations.FromRun(_tracker(), runId, parse.GetValue(description));
            }
            else
            {
                var path = Path.GetFullPath(file!);
                var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"--onnx: {path} does not exist.");
                var rows = parse.GetValue(reference) is { } data ? DataFiles.Read(data) : null;
                registration = ModelRegistrations.FromOnnx(bytes, rows, parse.GetValue(description), path);
            }

            context.Display(new ModelVersionResult(_registry().Register(parse.GetValue(name)!, registration), registration.Reference));
        });
        return command;
    }

    private Command List(IVerbContext context)
    {
        var command = new Command("list", "The registered models with their latest version and aliases.");
        command.SetAction(_ => context.Display(new ModelListResult(_registry().ListModels())));
        return command;
    }

    private Command Show(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "NAME (its @champion version, and how the model is served), NAME/VERSION, NAME@ALIAS or a models:/ URI." };
        var since = new Option<string>("--since") { Description = "With NAME: the window of the prediction log the live split, fallback rate, latency and shadow agreement cover (30m, 1h, 7d).", DefaultValueFactory = _ => "1h" };
        var endpoint = new Option<string?>("--endpoint") { Description = "With NAME: also read a running endpoint (http://HOST:PORT): the version it serves, the canary and shadow it follows, and its request, fallback and shadow counters." };
        var command = new Command("show", "A version's model card: lineage (run, feature views, ONNX by hash), signature, metrics, aliases and reference statistics; for a NAME also its traffic routes and, from the prediction log, the live split, fallback rate, latency and shadow agreement.") { model, since, endpoint };
        command.SetAction(parse =>
        {
            var registry = _registry();
            var text = parse.GetValue(model)!;
            var version = registry.Resolve(text);
            var card = new ModelVersionResult(version, registry.ReadReference(version));
            if (text != version.Name)
            {
                context.Display(card);
                return;
            }

            var window = Core.Time.Durations.Parse(parse.GetValue(since)!, "--since");
            var from = registry.TimeProvider.GetUtcNow() - window;
            var traffic = registry.Traffic(version.Name);
            var aliases = new[] { traffic.Canary?.Alias, traffic.Shadow?.Alias }.OfType<string>().Distinct().ToDictionary(a => a, a => registry.AliasVersion(version.Name, a)?.Version);
            var outputs = version.Signature.Outputs.Select(o => o.Name).ToArray();
            var status = parse.GetValue(endpoint) is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? EndpointStatus.Read(uri, version.Name) : throw new ArgumentException($"--endpoint: '{url}' is not an http(s) URL.")
                : null;
            context.Display(new ModelServingResult(card, traffic, aliases, Core.Predictions.ServingActivity.Compute(registry.Workspace, version.Name, from),
                Core.Predictions.ShadowReport.Compute(registry.Workspace, version.Name, outputs, from), status));
        });
        return command;
    }

    private Command Alias(IVerbContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Argument<string>("alias") { Description = "The alias: [a-z][a-z0-9_-]* (champion, challenger, staging)." };
        var version = new Argument<int?>("version") { Description = "The version it points at (not with --delete).", Arity = ArgumentArity.ZeroOrOne };
        var delete = new Option<bool>("--delete") { Description = "Remove the alias." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the history." };
        var command = new Command("alias", "Point an alias at a version (or delete it); every change is kept in the model's history.") { name, alias, version, delete, reason };
        command.SetAction(parse =>
        {
            var registry = _registry();
            var (model, target) = (parse.GetValue(name)!, parse.GetValue(version));
            if (parse.GetValue(delete) == target.HasValue)
            {
                throw new ArgumentException("give either a VERSION or --delete.");
            }

            var change = target is { } v
                ? registry.SetAlias(model, parse.GetValue(alias)!, v, parse.GetValue(reason))
                : registry.DeleteAlias(model, parse.GetValue(alias)!, parse.GetValue(reason));
            context.Display(new AliasHistoryResult(model, [change]));
        });
        return command;
    }

    private Command History(IVerbContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var command = new Command("history", "Every alias change of the model: when, from and to which version, who, why, which gates.") { name };
        command.SetAction(parse => context.Display(new AliasHistoryResult(parse.GetValue(name)!, _registry().History(parse.GetValue(name)!))));
        return command;
    }

    private Command Archive(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "NAME/VERSION." };
        var command = new Command("archive", "Archive a version: it keeps its number and record, and no alias may point at it.") { model };
        command.SetAction(parse =>
        {
            var registry = _registry();
            var version = registry.Resolve(parse.GetValue(model)!);
            context.Display(new ModelVersionResult(registry.Archive(version.Name, version.Version)));
        });
        return command;
    }

    private Command Tag(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "NAME (the registered model) or NAME/VERSION." };
        var key = new Argument<string>("key") { Description = "The tag." };
        var value = new Argument<string?>("value") { Description = "Its value (not with --delete).", Arity = ArgumentArity.ZeroOrOne };
        var delete = new Option<bool>("--delete") { Description = "Remove the tag." };
        var command = new Command("tag", "Set (or delete) a tag of a registered model or of one version; tags are the only thing about a version that may change.") { model, key, value, delete };
        command.SetAction(parse =>
        {
            if (parse.GetValue(delete) == (parse.GetValue(value) is not null))
            {
                throw new ArgumentException("give either a VALUE or --delete.");
            }

            var registry = _registry();
            var text = parse.GetValue(model)!;
            var version = ModelReference.NamesVersion(text) ? registry.Resolve(text) : null;
            var name = version?.Name ?? text;
            registry.SetTag(name, version?.Version, parse.GetValue(key)!, parse.GetValue(value));
            var tags = version is null ? registry.ModelTags(name) : registry.GetVersion(name, version.Version).Tags;
            context.Display(new Features.TableResult(
                [new NotebookMl.Verbs.Formatting.Table(["key", "value"], tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (IReadOnlyList<string>)[t.Key, t.Value]).ToArray()) { Title = $"Tags of {version?.Uri ?? name}" }],
                tags));
        });
        return command;
    }

    private Command Export(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "NAME (its latest version), NAME/VERSION, NAME@ALIAS or a models:/ URI." };
        var format = new Option<string>("--format") { Description = "triton: a Triton / KServe model repository.", DefaultValueFactory = _ => "triton" };
        var output = new Option<string>("--out") { Description = "The repository folder (created).", Required = true };
        var command = new Command("export", "Write a version as a Triton / KServe model repository: NAME/config.pbtxt and NAME/VERSION/model.onnx.") { model, format, output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) != "triton")
            {
                throw new ArgumentException($"--format: '{parse.GetValue(format)}' is not a format; expected triton.");
            }

            var registry = _registry();
            var version = registry.Resolve(parse.GetValue(model)!);
            var folder = TritonRepository.Write(version, registry.ReadOnnx(version), parse.GetValue(output)!);
            context.Display(new NotebookMl.Verbs.Formatting.Table(["model", "version", "repository"], [[version.Name, version.Version.ToString(CultureInfo.InvariantCulture), folder]]) { Title = "Exported for Triton / KServe" });
        });
        return command;
    }
}
