using Cronos;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// A cron expression in a time zone (Cronos): five fields (minute hour day month weekday), six with
/// seconds first, or a macro such as <c>@daily</c>. Daylight-saving gaps and overlaps follow Cronos:
/// a time skipped by the clock change runs right after it, a repeated hour runs once. A triggered
/// pipeline's checks use a fixed interval instead (<see cref="Every"/>).
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression? _expression;
    private readonly TimeSpan _interval;

    private CronSchedule(string text, CronExpression? expression, TimeSpan interval, TimeZoneInfo timeZone)
    {
        Text = text;
        _expression = expression;
        _interval = interval;
        TimeZone = timeZone;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The zone the expression's fields are read in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses <paramref name="text"/>; a bad expression throws <see cref="FormatException"/> with Cronos' reason.</summary>
    public static CronSchedule Parse(string text, TimeZoneInfo timeZone)
    {
        var trimmed = text.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (!trimmed.StartsWith('@') && fields is not (5 or 6))
        {
            throw new FormatException($"'{text}' has {fields} fields; expected 5 (minute hour day month weekday) or 6 (seconds first)");
        }

        try
        {
            var expression = CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return new CronSchedule(trimmed, expression, TimeSpan.Zero, timeZone);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"'{text}' is not a cron expression: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>Every <paramref name="interval"/>, at multiples of it since 1970 (UTC): hourly checks fall on the hour.</summary>
    public static CronSchedule Every(TimeSpan interval, TimeZoneInfo timeZone) =>
        interval >= TimeSpan.FromSeconds(1)
            ? new CronSchedule($"every {NotebookMl.Core.Time.Durations.Format(interval)}", null, interval, timeZone)
            : throw new FormatException($"an interval of {interval.TotalMilliseconds} ms; expected at least 1s");

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null if there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _expression is { } expression
            ? expression.GetNextOccurrence(after, TimeZone)
            : new DateTimeOffset(after.UtcTicks - (after.UtcTicks % _interval.Ticks) + _interval.Ticks, TimeSpan.Zero);

    /// <summary>The occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until)
    {
        if (until <= after)
        {
            return [];
        }

        return _expression is { } expression ? expression.GetOccurrences(after, until, TimeZone, fromInclusive: false, toInclusive: true) : Intervals(after, until);
    }

    private IEnumerable<DateTimeOffset> Intervals(DateTimeOffset after, DateTimeOffset until)
    {
        for (var time = NextAfter(after)!.Value; time <= until; time += _interval)
        {
            yield return time;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
