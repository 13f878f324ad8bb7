namespace NotebookMl.Runner;

/// <summary>The run's input is wrong (a file, an option, a parameter); the message says what and how, in one line.</summary>
public sealed class RunnerInputException(string message) : Exception(message);
