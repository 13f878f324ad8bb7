using Npgsql;

namespace NotebookMl.Core.Storage;

/// <summary>
/// The store's refusals as one line for a person: a role that may not write, a server that cannot be reached. These
/// are failures of the work, not of the input: hosts report them with exit code 1 (or HTTP 503/403), without a stack trace.
/// </summary>
public static class StoreErrors
{
    /// <summary>Whether <paramref name="error"/> says the store could not be reached, or went away mid-statement: worth another try.</summary>
    public static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "08001" or "08004" }
                or NpgsqlException { IsTransient: true }
                or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="error"/> says the store's role may not make this change.</summary>
    public static bool IsPermissionDenied(Exception error) => error is PostgresException { SqlState: "42501" };

    /// <summary>The line that says what went wrong and what is needed, or null when <paramref name="error"/> is not the store's.</summary>
    public static string? Describe(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StoreAccessException access:
                    return access.Message;
                case StoreSchemaException schema:
                    return schema.Message;
                case PostgresException { SqlState: "42501" } denied:
                    return $"permission denied: {denied.MessageText}; the store's role may not make this change. A pipeline or admin role needs it (docs/store.md lists the GRANTs).";
                case PostgresException { SqlState: "28P01" or "28000" } login:
                    return $"the store refused the login: {login.MessageText}. The password comes from PGPASSWORD or ~/.pgpass, never from notebookml.yaml.";
                case NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } unreachable:
                    return $"the store cannot be reached: {unreachable.InnerException!.Message}.";
                case System.Security.Authentication.AuthenticationException tls:
                    return $"the store's TLS certificate was refused: {tls.Message} (sslmode=verify-full checks it against sslrootcert, or ~/.postgresql/root.crt).";
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 } readOnly:
                    return $"the store refused the write: {readOnly.Message}";
                case PostgresException refused:
                    // A constraint, a trigger, a full disk: the server's own words; the transaction it ended wrote nothing.
                    return $"the store refused the work: {refused.MessageText} (SQLSTATE {refused.SqlState}).";
            }
        }

        return null;
    }
}
