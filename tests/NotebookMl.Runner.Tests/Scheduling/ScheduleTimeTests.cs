using NotebookMl.Core.Time;
using System.Text.Json.Nodes;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>Cron expressions (seconds, time zones, daylight saving), durations and parameter templates.</summary>
public sealed class ScheduleTimeTests
{
    private static readonly TimeZoneInfo s_oslo = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    [Fact]
    public void A_six_field_expression_has_seconds_and_five_fields_run_on_the_minute()
    {
        var from = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

        var everyTen = CronSchedule.Parse("*/10 * * * * *", TimeZoneInfo.Utc).Between(from, from.AddSeconds(30));
        var everyMinute = CronSchedule.Parse("* * * * *", TimeZoneInfo.Utc).NextAfter(from);

        Assert.Equal([10, 20, 30], everyTen.Select(t => (int)(t - from).TotalSeconds));
        Assert.Equal(from.AddMinutes(1), everyMinute);
    }

    [Fact]
    public void A_schedule_in_a_time_zone_keeps_local_time_across_daylight_saving()
    {
        var schedule = CronSchedule.Parse("0 30 6 * * *", s_oslo);

        var beforeSwitch = schedule.NextAfter(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var afterSwitch = schedule.NextAfter(beforeSwitch!.Value);

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 5, 30, 0, TimeSpan.Zero), beforeSwitch!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 4, 30, 0, TimeSpan.Zero), afterSwitch!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("45s", 45)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    public void Durations_take_units_or_plain_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.TryParse(text));

    [Theory]
    [InlineData("soon")]
    [InlineData("10 minutes")]
    [InlineData("-5")]
    [InlineData("5m10")]
    public void A_duration_that_is_not_one_is_refused(string text) => Assert.Null(Durations.TryParse(text));

    [Fact]
    public void Templates_render_the_scheduled_time_in_the_pipeline_time_zone_with_offsets_and_formats()
    {
        var parameters = new Dictionary<string, JsonNode?>
        {
            ["runDate"] = "{{scheduled_time:yyyy-MM-dd}}",
            ["yesterday"] = "{{ scheduled_time-1d:yyyy-MM-dd }}",
            ["window"] = "{{scheduled_time-6h:HH:mm}}..{{scheduled_time:HH:mm}}",
            ["at"] = "{{scheduled_time}}",
            ["label"] = new JsonArray("{{pipeline}}", "{{trigger}}"),
            ["days"] = 7,
            ["plain"] = "no placeholder",
        };

        var rendered = ParameterTemplate.Render(parameters, "daily", new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero), s_oslo, RunTrigger.CatchUp);

        Assert.Equal("2026-11-24", rendered["runDate"]!.GetValue<string>());
        Assert.Equal("2026-11-23", rendered["yesterday"]!.GetValue<string>());
        Assert.Equal("18:30..00:30", rendered["window"]!.GetValue<string>());
        Assert.Equal("2026-11-24T00:30:00+01:00", rendered["at"]!.GetValue<string>());
        Assert.Equal("""["daily","catch_up"]""", rendered["label"]!.ToJsonString());
        Assert.Equal(7, rendered["days"]!.GetValue<int>());
        Assert.Equal("no placeholder", rendered["plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{{scheduled_date}}")]
    [InlineData("{{pipeline:yyyy}}")]
    [InlineData("{{trigger+1d}}")]
    public void An_unknown_or_misused_placeholder_is_reported(string template) =>
        Assert.Contains("unknown placeholder", ParameterTemplate.Check(template));
}
