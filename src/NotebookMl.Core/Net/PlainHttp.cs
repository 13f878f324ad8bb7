namespace NotebookMl.Core.Net;

/// <summary>Where a secret (a bearer token) would cross the network in clear.</summary>
public static class PlainHttp
{
    /// <summary>Whether <paramref name="endpoint"/> is plain http to a host other than loopback, where a token would travel in clear.</summary>
    public static bool SendsInClear(Uri endpoint) => endpoint.Scheme == "http" && !endpoint.IsLoopback;
}
