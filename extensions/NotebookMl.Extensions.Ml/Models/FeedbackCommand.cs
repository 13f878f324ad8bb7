using System.CommandLine;
using System.Globalization;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models feedback NAME --labels FILE</c>: ground truth that arrived after the answers, keyed by the request id callers
/// sent (and the row within the request), kept beside the prediction log; <c>drift model</c> then scores the model on it.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create(IVerbContext context, Func<ModelRegistry> registry)
    {
        var name = new Argument<string>("name") { Description = "The registered model whose answers the labels are for." };
        var labels = new Option<string>("--labels") { Description = "A Parquet, CSV or Arrow file: a request id, optionally the row within the request, and the true label (a number, or a boolean).", Required = true };
        var requestId = new Option<string>("--request-id-column") { Description = "The file's column holding the request id (the id callers sent).", DefaultValueFactory = _ => "request_id" };
        var label = new Option<string>("--label-column") { Description = "The file's column holding the label.", DefaultValueFactory = _ => "label" };
        var row = new Option<string>("--row-column") { Description = "The file's column holding the row within the request (absent: row 0).", DefaultValueFactory = _ => "row" };
        var command = new Command("feedback", "Add late ground truth for a model's answers; 'drift model' then reports its metrics on live traffic against those at registration.") { name, labels, requestId, label, row };
        command.SetAction(parse =>
        {
            var open = registry();
            var model = open.Latest(parse.GetValue(name)!).Name;
            var receipt = FeedbackLabels.Save(open.Workspace, model, parse.GetValue(labels)!, open.TimeProvider.GetUtcNow(), parse.GetValue(requestId)!, parse.GetValue(label)!, parse.GetValue(row)!);
            static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
            context.Display(new TableResult(
                [new Table(["model", "rows read", "labels saved", "matching a logged answer", "saved to"], [[receipt.Model, N(receipt.Read), N(receipt.Saved), N(receipt.Matched), receipt.Path]]) { Title = "Feedback labels" }],
                new { model = receipt.Model, read = receipt.Read, saved = receipt.Saved, matched = receipt.Matched, path = receipt.Path }));
        });
        return command;
    }
}
