using NotebookMl.Core.Registry;

namespace NotebookMl.Serving.Protocol;

/// <summary>
/// What a request to a version may carry: the model's inputs, of which those in <paramref name="Online"/> may be omitted
/// (the endpoint looks them up in the online feature store), and the entity join keys <paramref name="Keys"/> they are
/// looked up by, accepted as extra inputs when the model does not take them itself.
/// </summary>
/// <param name="Model">The model's signature.</param>
/// <param name="Keys">Join keys that are not model inputs (BYTES or INT64, one per row).</param>
/// <param name="Online">Model inputs that are online features.</param>
/// <param name="KeyNames">Every join key the online features are looked up by (model inputs or not).</param>
public sealed record RequestSignature(ModelSignature Model, IReadOnlyList<TensorSignature> Keys, IReadOnlySet<string> Online, IReadOnlyList<string> KeyNames)
{
    /// <summary>The inputs a request may name: the model's, then the extra join keys.</summary>
    public IReadOnlyList<TensorSignature> Inputs { get; } = [.. Model.Inputs, .. Keys];

    /// <summary>A model whose inputs must all be sent.</summary>
    public static RequestSignature Of(ModelSignature model) => new(model, [], new HashSet<string>(), []);

    /// <summary>The signature that names what a request may carry (the model's, with the extra keys as inputs).</summary>
    public ModelSignature Accepted => Keys.Count == 0 ? Model : new ModelSignature(Inputs, Model.Outputs);
}
