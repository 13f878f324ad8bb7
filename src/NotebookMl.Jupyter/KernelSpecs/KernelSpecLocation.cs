namespace NotebookMl.Jupyter.KernelSpecs;

/// <summary>Where <c>kernel install</c> writes, with the meaning of <c>jupyter kernelspec install</c>'s options.</summary>
public enum KernelSpecLocation
{
    /// <summary>System-wide: <c>/usr/local/share/jupyter/kernels</c>.</summary>
    System,

    /// <summary>The user's Jupyter data folder: <c>$JUPYTER_DATA_DIR</c>, else <c>~/.local/share/jupyter</c>.</summary>
    User,

    /// <summary><c>PREFIX/share/jupyter/kernels</c>.</summary>
    Prefix,

    /// <summary>The prefix of the Python environment that runs <c>jupyter</c>.</summary>
    SysPrefix,
}
