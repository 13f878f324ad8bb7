namespace NotebookMl.Kernel.Display;

/// <summary>A displayed output that can be replaced in place, even from a later cell.</summary>
public sealed class DisplayHandle
{
    private readonly CSharpKernel _kernel;

    internal DisplayHandle(CSharpKernel kernel, string displayId)
    {
        _kernel = kernel;
        DisplayId = displayId;
    }

    /// <summary>The id front-ends use to find the output (Jupyter's <c>transient.display_id</c>).</summary>
    public string DisplayId { get; }

    /// <summary>The clock of the kernel that shows it.</summary>
    internal TimeProvider TimeProvider => _kernel.TimeProvider;

    /// <summary>Replaces the displayed value with <paramref name="value"/>.</summary>
    public void Update(object? value, params string[] mimeTypes) => _kernel.UpdateDisplay(DisplayId, value, mimeTypes);
}
