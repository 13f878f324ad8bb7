using System.Text.RegularExpressions;

namespace NotebookMl.Core.Features;

/// <summary>Checks definitions before they are stored, with errors naming the definition and the rule.</summary>
internal static partial class FeatureDefinitionRules
{
    public static void Check(Entity entity)
    {
        Name("entity", entity.Name);
        if (entity.JoinKeys.Count == 0)
        {
            throw new ArgumentException($"entity '{entity.Name}': give at least one join key.");
        }
    }

    /// <summary>Checks <paramref name="view"/>; returns it with its aggregates listed among its features.</summary>
    public static FeatureView Check(FeatureView view, IReadOnlyDictionary<string, Entity> entities)
    {
        Name("feature view", view.Name);
        if (view.Entities.Count == 0)
        {
            throw new ArgumentException($"feature view '{view.Name}': name at least one entity.");
        }

        foreach (var entity in view.Entities.Where(e => !entities.ContainsKey(e)))
        {
            throw new ArgumentException($"feature view '{view.Name}': unknown entity '{entity}'; entities: {string.Join(", ", entities.Keys.DefaultIfEmpty("none"))}.");
        }

        foreach (var aggregate in view.Aggregates)
        {
            if (!WindowAggregate.Functions.Contains(aggregate.Function))
            {
                throw new ArgumentException($"feature view '{view.Name}': aggregate '{aggregate.Name}' uses '{aggregate.Function}'; use one of {string.Join(", ", WindowAggregate.Functions)}.");
            }

            if (aggregate.Window <= TimeSpan.Zero)
            {
                throw new ArgumentException($"feature view '{view.Name}': aggregate '{aggregate.Name}' needs a window above 0.");
            }
        }

        if (view.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"feature view '{view.Name}': ttl must be above 0 (leave it out for no expiry).");
        }

        var features = view.Features.ToList();
        foreach (var aggregate in view.Aggregates.Where(a => features.All(f => f.Name != a.Name)))
        {
            features.Add(new Feature(aggregate.Name, aggregate.Function == "count" ? FeatureType.Int64 : FeatureType.Double));
        }

        if (features.Count == 0)
        {
            throw new ArgumentException($"feature view '{view.Name}': list its features (name and type).");
        }

        foreach (var duplicate in features.GroupBy(f => f.Name).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"feature view '{view.Name}': feature '{duplicate.Key}' is listed twice.");
        }

        return view with { Features = features };
    }

    private static void Name(string kind, string name)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"{kind} name '{name}': use letters, digits and '_', starting with a letter.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ValidName();
}
