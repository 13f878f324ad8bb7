using System.Reflection;
using NotebookMl.Verbs;
using InteractiveKernel = Microsoft.DotNet.Interactive.Kernel;

namespace NotebookMl.Interactive;

/// <summary>
/// The variables of .NET Interactive's C# kernel, through its public <c>TryGetValue&lt;T&gt;(name, out value)</c>
/// (Microsoft.DotNet.Interactive.CSharp, which the host brings and this package does not reference).
/// </summary>
internal sealed class CSharpVariables(InteractiveKernel csharp) : IVariableSource
{
    private readonly MethodInfo? _tryGetValue = csharp.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .FirstOrDefault(m => m is { Name: "TryGetValue", IsGenericMethodDefinition: true } && m.GetParameters().Length == 2);

    public bool TryGetVariable<T>(string name, out T value)
    {
        object?[] arguments = [name, null];
        if (_tryGetValue?.MakeGenericMethod(typeof(object)).Invoke(csharp, arguments) is true && arguments[1] is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }
}
