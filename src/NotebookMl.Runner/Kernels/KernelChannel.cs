using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>The kernel's sockets a client talks on (the heartbeat is not used: the process is watched instead).</summary>
internal enum KernelChannel
{
    Shell,
    Control,
    Stdin,
    Iopub,
}

/// <summary>A message from the kernel and the channel it came on.</summary>
internal sealed record ReceivedMessage(KernelChannel Channel, JupyterMessage Message)
{
    /// <summary>The <c>msg_id</c> of the request this message answers or was caused by.</summary>
    public string ParentId => JsonFields.String(Message.ParentHeader, "msg_id") ?? "";
}
