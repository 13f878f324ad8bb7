namespace NotebookMl.Kernel.Commands;

/// <summary>Asks the front-end for a line of input.</summary>
public delegate Task<string> InputProvider(string prompt, bool isPassword, CancellationToken cancellationToken);
