using System.CommandLine;
using NotebookMl.Core.Workspaces;
using NotebookMl.Verbs;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml init [FOLDER]</c>: makes a folder a workspace (<c>notebookml.yaml</c> and <c>.notebookml/</c>).</summary>
internal static class InitCommand
{
    private const string Template = """
        # A NotebookMl workspace. Every notebookml command and notebook kernel started in this folder,
        # or in a folder below it, uses it (like git finds its repository). Its state (runs, features,
        # models, schedule history) lives in .notebookml/ beside this file: keep that out of version control.
        #
        # Backends; the embedded defaults need no server.
        # online_store: sqlite            # or redis://HOST:PORT

        """;

    public static Command Create(IVerbContext output)
    {
        var folder = new Argument<string?>("folder") { Description = "The workspace root (default: the current folder).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("init", "Make a folder a NotebookMl workspace: notebookml.yaml and the .notebookml/ state folder.") { folder };
        command.SetAction(parse =>
        {
            var root = Path.GetFullPath(parse.GetValue(folder) ?? Environment.CurrentDirectory);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"init {root}: folder not found.");
            }

            var workspace = WorkspaceLocation.At(root);
            var enclosing = Directory.GetParent(root) is { } parent ? WorkspaceLocation.Discover(parent.FullName, home: null) : null;
            var existed = workspace.Exists;
            if (!File.Exists(workspace.ConfigFile))
            {
                File.WriteAllText(workspace.ConfigFile, Template.ReplaceLineEndings("\n"));
            }

            workspace.EnsureCreated();
            output.WriteLine(existed
                ? $"{root} is already a NotebookMl workspace ({WorkspaceLocation.ConfigFileName}, {WorkspaceLocation.StateFolderName}/)."
                : $"Created a NotebookMl workspace in {root} ({WorkspaceLocation.ConfigFileName}, {WorkspaceLocation.StateFolderName}/).");
            if (!existed && enclosing is not null)
            {
                output.WriteLine($"It is nested in the workspace {enclosing.Root}: commands below {root} now use the new one.");
            }
        });
        return command;
    }
}
