namespace NotebookMl.Runner.Scheduling.Export;

/// <summary>
/// A pipeline's schedule as the five-field cron other schedulers take: six fields lose their seconds (which must be 0),
/// macros become fields, and a triggered pipeline's check interval becomes a step (every 15 minutes: */15 * * * *).
/// </summary>
internal static class ExportCron
{
    private static readonly Dictionary<string, string> s_macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *", ["@annually"] = "0 0 1 1 *", ["@monthly"] = "0 0 1 * *", ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *", ["@midnight"] = "0 0 * * *", ["@hourly"] = "0 * * * *", ["@every_minute"] = "* * * * *",
    };

    /// <summary>The five fields of <paramref name="pipeline"/>'s schedule, or an error naming what cannot be expressed.</summary>
    public static string Fields(PipelineDefinition pipeline)
    {
        if (pipeline.Trigger is { } trigger)
        {
            return Interval(pipeline.Name, trigger.CheckEvery);
        }

        var text = pipeline.Schedule.Text;
        if (s_macros.TryGetValue(text, out var macro))
        {
            return macro;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length switch
        {
            5 => string.Join(' ', fields),
            6 when fields[0] == "0" => string.Join(' ', fields[1..]),
            _ => throw new RunnerInputException($"pipeline {pipeline.Name}: schedule '{text}' runs more often than once a minute or at seconds other than 0; other schedulers take minutes at the finest."),
        };
    }

    /// <summary>
    /// The fields in UTC for a scheduler that knows no time zones (GitHub Actions): the hours are moved by the zone's
    /// standard offset. Refused when that would move the day (a day-of-month or weekday field) or the offset is not whole hours.
    /// </summary>
    public static (string Fields, string? Note) InUtc(PipelineDefinition pipeline)
    {
        var fields = Fields(pipeline).Split(' ');
        var zone = Zone(pipeline);
        var offset = zone.BaseUtcOffset;
        if (offset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime)
        {
            return (string.Join(' ', fields), null);
        }

        if (offset.Minutes != 0 || !fields[1].Split(',').All(h => int.TryParse(h, out _)))
        {
            throw new RunnerInputException($"pipeline {pipeline.Name}: GitHub Actions runs cron in UTC, and '{string.Join(' ', fields)}' in {zone.Id} has no fixed UTC form; use time_zone: UTC for it.");
        }

        var hours = fields[1].Split(',').Select(h => int.Parse(h, System.Globalization.CultureInfo.InvariantCulture) - offset.Hours).ToArray();
        if (hours.Any(h => h is < 0 or > 23) && (fields[2] != "*" || fields[4] != "*"))
        {
            throw new RunnerInputException($"pipeline {pipeline.Name}: in UTC its hours move to another day, and its day fields ('{fields[2]}', '{fields[4]}') would have to move too; use time_zone: UTC for it.");
        }

        fields[1] = string.Join(',', hours.Select(h => ((h % 24) + 24) % 24).Order());
        var note = $"GitHub Actions runs cron in UTC: written at {zone.Id}'s standard offset ({(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm})" +
            (zone.SupportsDaylightSavingTime ? "; during daylight saving time it runs an hour late." : ".");
        return (string.Join(' ', fields), note);
    }

    /// <summary>The zone the fields are read in: the pipeline's, or UTC for a trigger's checks (aligned to UTC multiples).</summary>
    public static TimeZoneInfo Zone(PipelineDefinition pipeline) => pipeline.Trigger is null ? pipeline.Schedule.TimeZone : TimeZoneInfo.Utc;

    private static string Interval(string name, TimeSpan every) => every switch
    {
        _ when every.TotalMinutes is >= 1 and < 60 && every.Ticks % TimeSpan.TicksPerMinute == 0 && 60 % (int)every.TotalMinutes == 0 => $"*/{(int)every.TotalMinutes} * * * *",
        _ when every == TimeSpan.FromHours(1) => "0 * * * *",
        _ when every.TotalHours is > 1 and < 24 && every.Ticks % TimeSpan.TicksPerHour == 0 && 24 % (int)every.TotalHours == 0 => $"0 */{(int)every.TotalHours} * * *",
        _ when every == TimeSpan.FromDays(1) => "0 0 * * *",
        _ => throw new RunnerInputException($"pipeline {name}: its trigger is checked every {Core.Time.Durations.Format(every)}, which cron cannot express; use a divisor of an hour or a day."),
    };
}
