namespace NotebookMl.Serving.Access;

/// <summary>What an endpoint lets through: the guard decides from the matched endpoint's mark, never from the path's text.</summary>
public enum EndpointAccess
{
    /// <summary>Anyone: health, metadata, <c>/metrics</c>.</summary>
    Public,

    /// <summary>Inference: needs the token when the server requires it for inference.</summary>
    Inference,

    /// <summary>The control API (repository index, load, unload, publish): never from a browser on another site, and the token when there is one.</summary>
    Control,
}

/// <summary>Marks a REST route or a gRPC method with the access it needs (endpoint metadata; gRPC takes it from the method's attribute).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class EndpointAccessAttribute(EndpointAccess access) : Attribute
{
    /// <summary>The access the endpoint needs.</summary>
    public EndpointAccess Access { get; } = access;
}
