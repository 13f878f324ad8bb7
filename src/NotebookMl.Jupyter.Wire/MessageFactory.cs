using System.Globalization;
using System.Text.Json.Nodes;

namespace NotebookMl.Jupyter.Wire;

/// <summary>Makes replies and broadcasts with fresh headers for this kernel's session.</summary>
public sealed class MessageFactory(TimeProvider timeProvider)
{
    /// <summary>The Jupyter messaging protocol version spoken.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>This kernel process's session id.</summary>
    public string Session { get; } = Guid.NewGuid().ToString();

    /// <summary>A message of <paramref name="messageType"/> answering or caused by <paramref name="parent"/>.</summary>
    public JupyterMessage Create(string messageType, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null, JsonObject? metadata = null) =>
        new(
            identities ?? parent?.Identities ?? [],
            new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString(),
                ["session"] = Session,
                ["username"] = "notebookml",
                ["date"] = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                ["msg_type"] = messageType,
                ["version"] = ProtocolVersion,
            },
            parent?.Header.DeepClone().AsObject() ?? [],
            metadata ?? [],
            content,
            []);
}
