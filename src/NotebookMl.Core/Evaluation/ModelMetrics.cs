namespace NotebookMl.Core.Evaluation;

/// <summary>Test-set metrics of a binary classifier: threshold 0.5 for the counting ones.</summary>
public sealed record BinaryMetrics(double Auc, double PrAuc, double LogLoss, double Accuracy, double F1, long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives, IReadOnlyList<CurvePoint> Roc, IReadOnlyList<CurvePoint> PrecisionRecall)
{
    public IReadOnlyDictionary<string, double> Values => new Dictionary<string, double>
    {
        ["auc"] = Auc, ["pr_auc"] = PrAuc, ["log_loss"] = LogLoss, ["accuracy"] = Accuracy, ["f1"] = F1,
    };

    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the log, ε being double's machine epsilon (scikit-learn's "auto").</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>Computes the metrics of <paramref name="probability"/> against <paramref name="label"/> (true = positive).</summary>
    public static BinaryMetrics Of(IReadOnlyList<bool> label, IReadOnlyList<float> probability)
    {
        var n = label.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => probability[i]).ToArray();
        long positives = label.Count(l => l), negatives = n - positives;
        double logLoss = 0;
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp((double)probability[i], LogLossEpsilon, 1 - LogLossEpsilon);
            // As scikit-learn: the clipped pair (1 - p, p) renormalized to sum to 1.
            logLoss -= Math.Log((label[i] ? p : 1 - p) / ((1 - p) + p));
            var predicted = probability[i] > 0.5f;
            (tp, fp, tn, fn) = (predicted, label[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        // ROC and PR by walking the scores downwards; tied scores are one step (trapezoid for AUC).
        var roc = new List<CurvePoint> { new(0, 0) };
        var pr = new List<CurvePoint>();
        double auc = 0, averagePrecision = 0;
        long seenPositive = 0, seenNegative = 0;
        for (var i = 0; i < n;)
        {
            var score = probability[order[i]];
            long stepPositive = 0, stepNegative = 0;
            for (; i < n && probability[order[i]] == score; i++)
            {
                if (label[order[i]])
                {
                    stepPositive++;
                }
                else
                {
                    stepNegative++;
                }
            }

            var before = seenPositive;
            seenPositive += stepPositive;
            seenNegative += stepNegative;
            auc += stepNegative * (before + seenPositive) / 2.0;
            var precision = (double)seenPositive / (seenPositive + seenNegative);
            averagePrecision += positives == 0 ? 0 : stepPositive / (double)positives * precision;
            roc.Add(new CurvePoint(negatives == 0 ? 0 : (double)seenNegative / negatives, positives == 0 ? 0 : (double)seenPositive / positives));
            pr.Add(new CurvePoint(positives == 0 ? 0 : (double)seenPositive / positives, precision));
        }

        var f1 = tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
        return new BinaryMetrics(
            positives == 0 || negatives == 0 ? double.NaN : auc / (positives * (double)negatives), averagePrecision, logLoss / Math.Max(1, n),
            (tp + tn) / (double)Math.Max(1, n), f1, tp, fp, tn, fn, Thin(roc), Thin(pr));
    }

    private static List<CurvePoint> Thin(List<CurvePoint> points)
    {
        // At most ~200 points for a chart: every k-th, and the last.
        var step = Math.Max(1, points.Count / 200);
        return points.Where((_, i) => i % step == 0 || i == points.Count - 1).ToList();
    }
}

/// <summary>Test-set metrics of a regression model.</summary>
public sealed record RegressionMetrics(double Rmse, double Mae, double R2)
{
    public IReadOnlyDictionary<string, double> Values => new Dictionary<string, double> { ["rmse"] = Rmse, ["mae"] = Mae, ["r2"] = R2 };

    public static RegressionMetrics Of(IReadOnlyList<double> label, IReadOnlyList<float> prediction)
    {
        var n = Math.Max(1, label.Count);
        var mean = label.Count == 0 ? 0 : label.Average();
        double squared = 0, absolute = 0, total = 0;
        for (var i = 0; i < label.Count; i++)
        {
            var error = label[i] - prediction[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (label[i] - mean) * (label[i] - mean);
        }

        return new RegressionMetrics(Math.Sqrt(squared / n), absolute / n, total == 0 ? double.NaN : 1 - (squared / total));
    }
}

/// <summary>A point of a curve: x and y.</summary>
public sealed record CurvePoint(double X, double Y);
