namespace NotebookMl.Core.Storage;

/// <summary>
/// One component's tables in the store (tracking, registry, features, online features, scheduler): its schema steps,
/// SQL written for SQLite's types, where step i takes the tables to version i + 1. The store records each component's version.
/// </summary>
public sealed record StoreSchema(string Component, IReadOnlyList<string> Steps)
{
    /// <summary>The version this NotebookMl writes.</summary>
    public int Version => Steps.Count;
}

/// <summary>A component's tables moved from one schema version to another by <see cref="WorkspaceDatabase.Upgrade"/>.</summary>
public sealed record SchemaChange(string Component, int From, int To);
