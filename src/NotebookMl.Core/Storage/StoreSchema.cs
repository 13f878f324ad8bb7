namespace NotebookMl.Core.Storage;

/// <summary>
/// One component's tables in the store (tracking, registry, features, online features, scheduler): its schema steps,
/// SQL written for SQLite's types, where step i takes the tables to version i + 1. The store records each component's version.
/// <paramref name="Tables"/> lists its tables in the order rows may be copied (a row after the rows it refers to), each with
/// its key (none: the table has no key, and <c>store copy</c> copies it by <see cref="StoreTable.Group"/>).
/// </summary>
public sealed record StoreSchema(string Component, IReadOnlyList<string> Steps, IReadOnlyList<StoreTable> Tables)
{
    /// <summary>The version this NotebookMl writes.</summary>
    public int Version => Steps.Count;
}

/// <summary>
/// A table of a component: its key columns (empty when it has none), and for a table without a key the column whose
/// rows are copied together (a run's metric points), or null to copy the table whole; <paramref name="Identity"/> when
/// its key is a generated integer <c>id</c>.
/// </summary>
public sealed record StoreTable(string Name, IReadOnlyList<string> Key, string? Group = null, bool Identity = false);

/// <summary>A component's tables moved from one schema version to another by <see cref="WorkspaceDatabase.Upgrade"/>.</summary>
public sealed record SchemaChange(string Component, int From, int To);
