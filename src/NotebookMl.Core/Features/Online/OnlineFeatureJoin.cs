using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Features;

namespace NotebookMl.Core.Features.Online;

/// <summary>
/// Fills the inputs a model needs that rows do not carry from the online store, through the model's lineage: each missing
/// input is the feature of that name in one of the feature views the model was trained on, looked up by the view's
/// entity join keys taken from the row. A key never materialized, or a value past its view's TTL, is null, and reaches
/// the model as a missing value, as at training.
/// </summary>
public static class OnlineFeatureJoin
{
    /// <summary>
    /// <paramref name="rows"/> with a column added for each of <paramref name="inputs"/> it lacks, looked up in <paramref name="store"/>'s
    /// online store through <paramref name="views"/>; an input that is no feature of those views, or a missing join key, is an
    /// <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static DataFrame Join(FeatureStore store, DataFrame rows, IReadOnlyList<string> inputs, IReadOnlyCollection<string> views)
    {
        var missing = inputs.Where(i => rows.Columns.IndexOf(i) < 0).ToArray();
        if (missing.Length == 0)
        {
            return rows;
        }

        var plan = OnlineFeaturePlan.For(store, missing, views);
        if (missing.FirstOrDefault(m => !plan.Covers(m)) is { } uncovered)
        {
            throw new ArgumentException($"the model's input '{uncovered}' is not a column of the rows{(views.Count > 0 ? $" nor a feature of its feature views ({string.Join(", ", views)})" : "")}; columns: {string.Join(", ", rows.Columns.Select(c => c.Name))}.");
        }

        if (plan.JoinKeys.FirstOrDefault(k => rows.Columns.IndexOf(k) < 0) is { } absent)
        {
            throw new ArgumentException($"the rows have no column '{absent}', the join key the online features ({string.Join(", ", plan.Inputs.Select(w => w.Reference))}) are looked up by.");
        }

        var wanted = plan.Inputs;
        var count = (int)rows.Rows.Count;
        var values = wanted.Select(_ => new object?[count]).ToArray();
        for (var r = 0; r < count; r++)
        {
            var found = plan.Lookup(plan.JoinKeys.ToDictionary(k => k, k => (object?)rows.Columns[k][r], StringComparer.Ordinal));
            for (var i = 0; i < wanted.Count; i++)
            {
                values[i][r] = found[i];
            }
        }

        var joined = rows.Clone();
        for (var i = 0; i < wanted.Count; i++)
        {
            joined.Columns.Add(wanted[i].Type == FeatureType.String
                ? new StringDataFrameColumn(wanted[i].Input, values[i].Select(v => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture)))
                : new DoubleDataFrameColumn(wanted[i].Input, values[i].Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture))));
        }

        return joined;
    }
}
