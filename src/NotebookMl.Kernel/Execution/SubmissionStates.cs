using System.Reflection;
using Microsoft.CodeAnalysis;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// The objects of the submissions that ran, in the array their code reads earlier cells' variables
/// from (slot 0 is the globals object), as Roslyn's scripting lays it out.
/// </summary>
internal sealed class SubmissionStates(KernelGlobals globals)
{
    private object?[] _states = [globals, null, null, null, null, null, null, null];
    private int _count;

    /// <summary>The slot the next submission with code takes.</summary>
    public int NextSlot => _count + 1;

    /// <summary>
    /// Runs the submission in <paramref name="assembly"/>, whose entry point is <paramref name="entryPoint"/>;
    /// it puts itself in <see cref="NextSlot"/>. Returns its value.
    /// </summary>
    public Task<object> RunAsync(Assembly assembly, IMethodSymbol entryPoint)
    {
        if (NextSlot >= _states.Length)
        {
            Array.Resize(ref _states, _states.Length * 2);
        }

        var type = assembly.GetType(entryPoint.ContainingType.MetadataName, throwOnError: true)!;
        var factory = type.GetMethod(entryPoint.MetadataName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
            .CreateDelegate<Func<object?[], Task<object>>>();
        return factory(_states);
    }

    /// <summary>
    /// Keeps the submission that last ran in its slot, also when it threw (what ran before the
    /// exception stays, as the variables it assigned); an abandoned one is not kept, and the next takes its slot.
    /// </summary>
    public void Keep() => _count++;

    /// <summary>Every variable declared so far, in declaration order; a redeclared name appears once per declaration.</summary>
    public IReadOnlyList<SubmissionVariable> Variables
    {
        get
        {
            var variables = new List<SubmissionVariable>();
            for (var slot = 1; slot <= _count; slot++)
            {
                if (_states[slot] is not { } state)
                {
                    continue;
                }

                foreach (var member in state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (member.Name.Length > 0 && (char.IsLetter(member.Name[0]) || member.Name[0] == '_'))
                    {
                        variables.Add(new SubmissionVariable(member.Name, member.FieldType, member.GetValue(state)));
                    }
                }
            }

            return variables;
        }
    }
}
