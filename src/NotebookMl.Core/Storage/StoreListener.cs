using Npgsql;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Wakes a follower the moment another process commits a change on a shared PostgreSQL store (<c>LISTEN</c> on a channel
/// that writers <c>NOTIFY</c> in their transaction). It holds one connection, reconnects after the server restarts, and
/// calls back once after each reconnection, since notifications sent meanwhile are lost; polling stays the fallback.
/// </summary>
internal sealed class StoreListener : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _channel;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public StoreListener(NpgsqlDataSource source, string channel, Action changed)
    {
        (_source, _channel, _changed) = (source, channel, changed);
        _thread = new Thread(Run) { IsBackground = true, Name = $"notebookml LISTEN {channel}" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var connection = _source.OpenConnection();
                connection.Notification += (_, _) => _changed();
                using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = $"LISTEN {_channel}";
                    listen.ExecuteNonQuery();
                }

                // Whatever was committed while no one listened.
                _changed();
                while (!_stop.IsCancellationRequested)
                {
                    connection.WaitAsync(_stop.Token).GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // The server went away: polling carries on until it is back.
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }
}
