using NotebookMl.Cli;

return await CliApplication.RunAsync(args);
