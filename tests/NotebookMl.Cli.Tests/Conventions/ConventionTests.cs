using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Conventions;

/// <summary>
/// House rules (docs/conventions.md), checked by reflection over every NotebookMl assembly: types are sealed
/// unless something derives from them, time comes from a TimeProvider, only the terminal abstractions touch the
/// console, and no static field can be assigned. The assemblies are loaded from the built CLI's folder, which
/// holds every one of them and their dependencies.
/// </summary>
public sealed class ConventionTests
{
    private static readonly string s_folder = Path.GetDirectoryName(RepoPaths.CliExecutable)!;
    private static readonly Lazy<AssemblyLoadContext> s_context = new(() =>
    {
        var context = new AssemblyLoadContext("notebookml-conventions");
        context.Resolving += (c, name) => new[] { s_folder, AspNetCoreFolder() }.Select(f => Path.Combine(f, name.Name + ".dll")).FirstOrDefault(File.Exists) is { } path ? c.LoadFromAssemblyPath(path) : null;
        return context;
    });

    // The types allowed to use System.Console: the CLI's terminal, the kernel's routing of a cell's
    // Console.Out/Error to the front-end, and the kernel process's own log on its real stderr.
    private static readonly string[] s_consoleOwners =
    [
        "NotebookMl.Cli.Rendering.Terminal",
        "NotebookMl.Kernel.Execution.ConsoleRouter",
        "NotebookMl.Jupyter.Logging.KernelLog",
    ];

    private static readonly string[] s_wallClock = ["System.DateTime.get_Now", "System.DateTime.get_UtcNow", "System.DateTimeOffset.get_Now", "System.DateTimeOffset.get_UtcNow"];

    public static TheoryData<string> Assemblies => new(ProductAssemblies().Select(a => a.GetName().Name!));

    [Fact]
    public void Every_product_assembly_is_checked()
    {
        Assert.Equal(
            ["NotebookMl.Core", "NotebookMl.Extensions.Ml", "NotebookMl.Jupyter", "NotebookMl.Jupyter.Wire", "NotebookMl.Kernel", "NotebookMl.Notebooks", "NotebookMl.Runner", "NotebookMl.Serving", "NotebookMl.Training", "NotebookMl.Training.Torch", "NotebookMl.Verbs", "notebookml"],
            ProductAssemblies().Select(a => a.GetName().Name!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Classes_are_sealed_unless_designed_for_inheritance(string assembly)
    {
        var types = Types(Load(assembly)).ToArray();
        var bases = ProductAssemblies().SelectMany(Types).Select(t => t.BaseType).Where(b => b is not null).Select(b => b!.IsGenericType ? b.GetGenericTypeDefinition() : b).ToHashSet();
        var open = types.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !bases.Contains(t)).Select(t => t.FullName).ToArray();
        Assert.True(open.Length == 0, "not sealed: " + string.Join(", ", open));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Time_comes_from_a_TimeProvider_not_the_wall_clock(string assembly)
    {
        var found = Calls(Load(assembly)).Where(c => s_wallClock.Contains(c.Called)).Select(c => $"{c.Caller} calls {c.Called}").Distinct().ToArray();
        Assert.True(found.Length == 0, string.Join("\n", found));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Only_the_terminal_abstractions_use_the_console(string assembly)
    {
        var found = Calls(Load(assembly))
            .Where(c => c.Called.StartsWith("System.Console.", StringComparison.Ordinal) && !s_consoleOwners.Contains(c.Owner))
            .Select(c => $"{c.Caller} calls {c.Called}").Distinct().ToArray();
        Assert.True(found.Length == 0, string.Join("\n", found));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_static_field_can_be_assigned(string assembly)
    {
        // State belongs to an instance a caller holds (a context, a store), not to the process: a static that can be assigned
        // (a settable static property's field too) is a hidden input. Fields that hold a constant object (readonly) are fine.
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var found = Types(Load(assembly))
            .SelectMany(t => t.GetFields(statics).Where(f => !f.IsInitOnly && !f.IsLiteral && !ProtocDescriptor(t, f)).Select(f => $"{t.FullName}.{f.Name}"))
            .ToArray();
        Assert.True(found.Length == 0, "static fields that can be assigned: " + string.Join(", ", found));
    }

    [Fact]
    public void The_call_scan_sees_the_console_calls_the_terminal_is_allowed_to_make()
    {
        var calls = Calls(Load("notebookml")).Where(c => c.Owner == "NotebookMl.Cli.Rendering.Terminal").Select(c => c.Called).ToHashSet();

        Assert.Contains("System.Console.get_Out", calls);
        Assert.Contains("System.Console.get_IsOutputRedirected", calls);
    }

    // protoc's C# output (the ONNX and gRPC messages) keeps each file's descriptor in a static field it assigns once.
    private static bool ProtocDescriptor(Type type, FieldInfo field) => field.Name == "descriptor" && type.Name.EndsWith("Reflection", StringComparison.Ordinal) && type.IsAbstract && type.IsSealed;

    // The Serving project runs on ASP.NET Core's shared framework, beside the one this test runs on.
    private static string AspNetCoreFolder()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var shared = Path.Combine(runtime, "..", "..", "Microsoft.AspNetCore.App");
        var version = Path.GetFileName(runtime);
        return Directory.Exists(Path.Combine(shared, version)) ? Path.Combine(shared, version) : Directory.GetDirectories(shared).Order(StringComparer.Ordinal).Last();
    }

    private static IEnumerable<Assembly> ProductAssemblies() =>
        Directory.GetFiles(s_folder, "NotebookMl*.dll").Append(Path.Combine(s_folder, "notebookml.dll")).Select(Path.GetFileNameWithoutExtension).Select(n => Load(n!));

    private static Assembly Load(string name) =>
        s_context.Value.Assemblies.FirstOrDefault(a => a.GetName().Name == name) ?? s_context.Value.LoadFromAssemblyPath(Path.Combine(s_folder, name + ".dll"));

    /// <summary>The assembly's own types, without what the compiler generates (closures, state machines, anonymous types) or a code generator writes (protoc's gRPC stubs).</summary>
    private static IEnumerable<Type> Types(Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), false) && !t.Name.Contains('<', StringComparison.Ordinal) && !t.Name.StartsWith("__", StringComparison.Ordinal) && !Generated(t));

    // Code generators mark the type, or (grpc_csharp_plugin) each of its constructors.
    private static bool Generated(Type type)
    {
        static bool Marked(MemberInfo member) => member.CustomAttributes.Any(a => a.AttributeType.FullName == "System.CodeDom.Compiler.GeneratedCodeAttribute");
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        return Marked(type) || (constructors.Length > 0 && constructors.All(Marked));
    }

    private static string Namespace(string typeName) => typeName[..Math.Max(0, typeName.LastIndexOf('.'))];

    /// <summary>Every call in the assembly, with the product type that owns the calling code (a lambda's or iterator's enclosing type).</summary>
    private static IEnumerable<(string Caller, string Called, string Owner, string? CalledNamespace)> Calls(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            var owner = type;
            while (owner.DeclaringType is not null && (owner.IsDefined(typeof(CompilerGeneratedAttribute), false) || owner.Name.Contains('<', StringComparison.Ordinal)))
            {
                owner = owner.DeclaringType;
            }

            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var called in MethodCalls.Of(method))
                {
                    var declaring = called.DeclaringType;
                    while (declaring?.DeclaringType is not null)
                    {
                        declaring = declaring.DeclaringType;
                    }

                    yield return ($"{type.FullName}.{method.Name}", $"{called.DeclaringType?.FullName}.{called.Name}", owner.FullName!, declaring?.Namespace);
                }
            }
        }
    }
}
