using NotebookMl.Cli;

return await CliApplication.RunAsync(args);

/// <summary>
/// The entry point. ASP.NET Core's source generator (the Serving project brings the framework in) declares
/// <c>Program</c> public and partial; it is sealed here like every class of ours.
/// </summary>
public sealed partial class Program;
