namespace NotebookMl.Core.Storage;

/// <summary>The store's tables are at a schema version this NotebookMl cannot use: newer (upgrade NotebookMl) or older (<c>notebookml store upgrade</c>).</summary>
public sealed class StoreSchemaException(string message) : InvalidOperationException(message);

/// <summary>
/// The store refused the work, not the input: the role may not write, or the server could not be reached in time.
/// One line says what was needed; nothing was written.
/// </summary>
public sealed class StoreAccessException(string message, Exception? inner = null) : Exception(message, inner);
