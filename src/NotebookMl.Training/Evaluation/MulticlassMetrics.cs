namespace NotebookMl.Training.Evaluation;

/// <summary>Test-set metrics of a classifier over several classes: the predicted class is the most probable.</summary>
/// <param name="Accuracy">Share of images whose most probable class is right.</param>
/// <param name="MacroF1">F1 per class, averaged.</param>
/// <param name="LogLoss">Mean negative log probability of the true class.</param>
/// <param name="Confusion">Rows: true class; columns: predicted class.</param>
public sealed record MulticlassMetrics(double Accuracy, double MacroF1, double LogLoss, long[,] Confusion)
{
    public IReadOnlyDictionary<string, double> Values => new Dictionary<string, double> { ["accuracy"] = Accuracy, ["macro_f1"] = MacroF1, ["log_loss"] = LogLoss };

    /// <summary>Metrics of <paramref name="probabilities"/> (rows × <paramref name="classes"/>) against <paramref name="labels"/>.</summary>
    public static MulticlassMetrics Of(IReadOnlyList<byte> labels, float[] probabilities, int classes)
    {
        var confusion = new long[classes, classes];
        double logLoss = 0;
        for (var row = 0; row < labels.Count; row++)
        {
            var scores = probabilities.AsSpan(row * classes, classes);
            var predicted = 0;
            for (var c = 1; c < classes; c++)
            {
                predicted = scores[c] > scores[predicted] ? c : predicted;
            }

            confusion[labels[row], predicted]++;
            logLoss -= Math.Log(Math.Clamp(scores[labels[row]], 1e-15, 1));
        }

        double correct = 0, f1 = 0;
        for (var c = 0; c < classes; c++)
        {
            correct += confusion[c, c];
            long predictedC = 0, actualC = 0;
            for (var other = 0; other < classes; other++)
            {
                predictedC += confusion[other, c];
                actualC += confusion[c, other];
            }

            f1 += predictedC + actualC == 0 ? 0 : 2.0 * confusion[c, c] / (predictedC + actualC);
        }

        var n = Math.Max(1, labels.Count);
        return new MulticlassMetrics(correct / n, f1 / classes, logLoss / n, confusion);
    }
}
