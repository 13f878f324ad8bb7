namespace NotebookMl.Notebooks;

/// <summary>Converts notebooks between .ipynb and .dib, or rewrites an .ipynb in nbformat's normal form.</summary>
public static class NotebookConverter
{
    /// <summary>
    /// Reads <paramref name="inputPath"/> and writes it to <paramref name="outputPath"/>, each in the
    /// format its extension names. Converting to .dib drops outputs and execution counts, which .dib
    /// cannot hold; tags are kept (see <see cref="DibSerializer"/>). Input and output may be the same file.
    /// </summary>
    /// <exception cref="NotebookFormatException">Either path has an unknown extension, the input cannot be read, or it cannot be held in the output format.</exception>
    public static void Convert(string inputPath, string outputPath)
    {
        NotebookFile.FormatOf(outputPath);
        NotebookFile.Write(NotebookFile.Read(inputPath), outputPath);
    }
}
