namespace NotebookMl.Core.Evaluation;

/// <summary>Test-set metrics of a classifier over several classes: the predicted class is the most probable.</summary>
/// <param name="Accuracy">Share of images whose most probable class is right.</param>
/// <param name="MacroF1">F1 per class, averaged over the classes that are true or predicted at least once.</param>
/// <param name="MicroF1">F1 of all decisions pooled; with one label per row it equals accuracy.</param>
/// <param name="LogLoss">Mean negative log probability of the true class.</param>
/// <param name="Confusion">Rows: true class; columns: predicted class.</param>
public sealed record MulticlassMetrics(double Accuracy, double MacroF1, double MicroF1, double LogLoss, long[,] Confusion)
{
    public IReadOnlyDictionary<string, double> Values => new Dictionary<string, double> { ["accuracy"] = Accuracy, ["macro_f1"] = MacroF1, ["micro_f1"] = MicroF1, ["log_loss"] = LogLoss };

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
            // As scikit-learn: each probability clipped to [ε, 1 − ε], the row renormalized to sum to 1.
            double sum = 0;
            foreach (var score in scores)
            {
                sum += Clip(score);
            }

            logLoss -= Math.Log(Clip(scores[labels[row]]) / sum);
        }

        double correct = 0, f1 = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            correct += confusion[c, c];
            long predictedC = 0, actualC = 0;
            for (var other = 0; other < classes; other++)
            {
                predictedC += confusion[other, c];
                actualC += confusion[c, other];
            }

            if (predictedC + actualC > 0)
            {
                present++;
                f1 += 2.0 * confusion[c, c] / (predictedC + actualC);
            }
        }

        var n = Math.Max(1, labels.Count);
        return new MulticlassMetrics(correct / n, present == 0 ? 0 : f1 / present, correct / n, logLoss / n, confusion);
    }

    private static double Clip(float probability) => Math.Clamp((double)probability, BinaryMetrics.LogLossEpsilon, 1 - BinaryMetrics.LogLossEpsilon);
}
