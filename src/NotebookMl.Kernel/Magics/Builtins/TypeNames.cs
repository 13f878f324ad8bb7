namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary>C#-style type names (<c>List&lt;int&gt;</c>, not <c>List`1</c>).</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(int)] = "int", [typeof(long)] = "long", [typeof(double)] = "double", [typeof(float)] = "float",
        [typeof(bool)] = "bool", [typeof(string)] = "string", [typeof(object)] = "object", [typeof(decimal)] = "decimal",
        [typeof(byte)] = "byte", [typeof(char)] = "char", [typeof(short)] = "short", [typeof(uint)] = "uint", [typeof(ulong)] = "ulong",
    };

    public static string Of(Type type)
    {
        if (s_keywords.TryGetValue(type, out var keyword))
        {
            return keyword;
        }

        if (type.IsArray)
        {
            return Of(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying) + "?";
        }

        if (type.Name.Contains("AnonymousType", StringComparison.Ordinal) && type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
        {
            // What the IDE shows: the members, not the compiler's name (<>f__AnonymousType0#1`2).
            return "anonymous { " + string.Join(", ", type.GetProperties().Select(p => $"{Of(p.PropertyType)} {p.Name}")) + " }";
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : $"{name[..tick]}<{string.Join(", ", type.GetGenericArguments().Select(Of))}>";
    }
}
