namespace NotebookMl.Runner.Scheduling;

/// <summary>Waiting on a <see cref="TimeProvider"/> for a point in time rather than a span.</summary>
internal static class Clock
{
    private static readonly TimeSpan s_settle = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Completes once <paramref name="timeProvider"/> reads <paramref name="deadline"/> or later. Unlike
    /// <c>Task.Delay(deadline - now)</c>, it cannot oversleep when the clock moves between reading it
    /// and starting the timer (a suspended laptop, NTP, a test's fake clock).
    /// </summary>
    public static async Task DelayUntilAsync(this TimeProvider timeProvider, DateTimeOffset deadline, Task? orWhen, CancellationToken cancellationToken)
    {
        while (true)
        {
            var before = timeProvider.GetUtcNow();
            var remaining = deadline - before;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(remaining > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : remaining, timeProvider, waiting.Token);
            try
            {
                var after = timeProvider.GetUtcNow();
                if (after >= deadline)
                {
                    return;
                }

                // The clock jumped while the timer was being made, so the timer may be set too late: make it again.
                if (after - before > s_settle)
                {
                    continue;
                }

                if (await Task.WhenAny(delay, orWhen ?? delay) != delay)
                {
                    return;
                }

                await delay;
            }
            finally
            {
                await waiting.CancelAsync();
            }
        }
    }
}
