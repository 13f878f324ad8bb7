using NotebookMl.Notebooks.Tests.Support;

namespace NotebookMl.Notebooks.Tests.Files;

public sealed class NotebookFileTests
{
    [Theory]
    [InlineData("a/b.ipynb", NotebookFormat.Ipynb)]
    [InlineData("B.IPYNB", NotebookFormat.Ipynb)]
    [InlineData("c.dib", NotebookFormat.Dib)]
    public void The_format_follows_the_extension(string path, NotebookFormat format) =>
        Assert.Equal(format, NotebookFile.FormatOf(path));

    [Theory]
    [InlineData("notes.txt", "notes.txt: the extension '.txt' is not a notebook format; expected .ipynb or .dib")]
    [InlineData("notes", "notes: no file extension is not a notebook format; expected .ipynb or .dib")]
    public void An_unknown_extension_gets_a_message_listing_the_accepted_ones(string path, string message)
    {
        // Given a path that is neither .ipynb nor .dib
        // When it is read
        var error = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));

        // Then the message names the file and the extensions accepted
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        // Given a path where no file is
        using var temp = new TempFolder();
        var path = temp.File("x.ipynb");

        // When it is read
        var error = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));

        // Then the message says so
        Assert.Equal($"{path}: file not found", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_reported()
    {
        // Given a .dib file in Latin-1
        using var temp = new TempFolder();
        var path = temp.File("latin1.dib");
        File.WriteAllBytes(path, [.. "#!csharp\n\n// caf"u8.ToArray(), 0xE9, (byte)'\n']);

        // When it is read
        var error = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));

        // Then the message says the encoding is wrong
        Assert.Equal($"{path}: is not UTF-8 text; notebooks are UTF-8", error.Message);
    }

    [Fact]
    public void Write_replaces_the_file_in_one_step_and_leaves_no_temporary_files()
    {
        // Given a folder that already holds the notebook
        using var temp = new TempFolder();
        var path = temp.File("run.ipynb");
        NotebookFile.Write(NotebookDocument.Create([NotebookCell.Code("1")]), path);

        // When a new version is written over it, many times
        var doc = NotebookDocument.Create([NotebookCell.Markdown("# v2"), NotebookCell.Code("2")]);
        for (var i = 0; i < 20; i++)
        {
            NotebookFile.Write(doc, path);
        }

        // Then only the notebook is in the folder, holding the new version
        Assert.Equal(["run.ipynb"], Directory.GetFiles(temp.Root).Select(Path.GetFileName));
        Assert.Equal(doc, NotebookFile.Read(path));
        Assert.Equal(IpynbSerializer.Serialize(doc), File.ReadAllText(path));
    }

    [Fact]
    public void A_write_that_fails_leaves_the_old_file_and_no_temporary_files()
    {
        // Given a .dib notebook on disk and a notebook a .dib cannot hold
        using var temp = new TempFolder();
        var path = temp.File("keep.dib");
        NotebookFile.Write(NotebookDocument.Create([NotebookCell.Code("1")]), path);
        var before = File.ReadAllText(path);

        // When the raw cell is written over it
        var error = Assert.Throws<NotebookFormatException>(() => NotebookFile.Write(NotebookDocument.Create([NotebookCell.Raw("r")]), path));

        // Then the error names the file, and the file and folder are as they were
        Assert.Equal($"{path}: cell 1 is a raw cell; a .dib file holds only code and markdown cells", error.Message);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(["keep.dib"], Directory.GetFiles(temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Reading_while_another_thread_rewrites_the_file_never_sees_half_a_notebook()
    {
        // Given a large notebook on disk
        using var temp = new TempFolder();
        var path = temp.File("big.ipynb");
        var cells = Enumerable.Range(0, 400).Select(i => NotebookCell.Code($"var v{i} = \"{new string('x', 200)}\";"));
        var doc = NotebookDocument.Create(cells);
        NotebookFile.Write(doc, path);

        // When one thread keeps rewriting it while this one keeps reading it
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                NotebookFile.Write(doc, path);
            }
        });
        var reads = 0;
        for (; reads < 200; reads++)
        {
            // Then every read parses to the whole notebook
            Assert.Equal(400, NotebookFile.Read(path).Cells.Count);
        }

        stop.Cancel();
        await writer;
        Assert.Equal(200, reads);
    }

    [Fact]
    public void Writing_into_a_missing_folder_names_the_folder()
    {
        // Given a path whose folder does not exist
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Root, "missing", "x.ipynb");

        // When a notebook is written there
        var error = Assert.Throws<NotebookFormatException>(() => NotebookFile.Write(NotebookDocument.Create([]), path));

        // Then the message names the folder
        Assert.Equal($"{path}: cannot be written: the folder '{Path.Combine(temp.Root, "missing")}' does not exist", error.Message);
    }
}
