using Cronos;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// A cron expression in a time zone (Cronos): five fields (minute hour day month weekday), six with
/// seconds first, or a macro such as <c>@daily</c>. Daylight-saving gaps and overlaps follow Cronos:
/// a time skipped by the clock change runs right after it, a repeated hour runs once.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression, TimeZoneInfo timeZone)
    {
        Text = text;
        _expression = expression;
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
            return new CronSchedule(trimmed, expression, timeZone);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"'{text}' is not a cron expression: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null if there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZone);

    /// <summary>The occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        until <= after ? [] : _expression.GetOccurrences(after, until, TimeZone, fromInclusive: false, toInclusive: true);

    /// <inheritdoc />
    public override string ToString() => Text;
}
