using System.Text.Json;
using NotebookMl.Kernel;
using NotebookMl.Testing;

namespace NotebookMl.Jupyter.Tests;

public sealed class KernelInfoTests
{
    [Fact]
    public void The_kernel_info_reply_matches_the_approved_json()
    {
        var content = RequestHandlers.KernelInfoContent().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Snapshot.Verify(content.Replace(KernelInfo.Version, "<version>", StringComparison.Ordinal), "json");
    }
}
