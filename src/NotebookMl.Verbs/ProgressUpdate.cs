namespace NotebookMl.Verbs;

/// <summary>One report of long work: the stage, how far along (0–1), and optionally a point of a metric's curve.</summary>
public sealed record ProgressUpdate(string Stage, double Fraction, string? Metric = null, double Step = 0, double Value = 0);
