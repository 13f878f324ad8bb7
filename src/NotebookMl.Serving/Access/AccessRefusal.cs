namespace NotebookMl.Serving.Access;

/// <summary>Why a call is refused: its HTTP status (401, 403, 415) and a message the caller can act on.</summary>
public sealed record AccessRefusal(int Status, string Message);
