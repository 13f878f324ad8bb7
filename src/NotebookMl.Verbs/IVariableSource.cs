namespace NotebookMl.Verbs;

/// <summary>The notebook's variables, for verbs that take one by name (<c>#!profile frame</c>), in whichever host runs the cells.</summary>
public interface IVariableSource
{
    /// <summary>The variable <paramref name="name"/> when it exists and is a <typeparamref name="T"/>.</summary>
    bool TryGetVariable<T>(string name, out T value);
}
