using NotebookMl.Core.Registry;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Takes a <see cref="ModelPublication"/> into the endpoint's own registry: registers it as the next version of the
/// model, then promotes it to the alias through every gate (the ones sent, the alias's policy here, and the endpoint's
/// own gates such as the ONNX gate). When the alias moves, the serving repository swaps the version in as for any promotion.
/// </summary>
public sealed class ModelPublisher(ModelRegistry registry, IReadOnlyList<IPromotionGate> gates)
{
    /// <summary>Registers and promotes; a malformed publication is a 400.</summary>
    public PromotionResult Publish(string name, ModelPublication publication)
    {
        if (publication.Name != name)
        {
            throw new InferenceException(400, $"the publication names model '{publication.Name}' but was sent to '{name}'.");
        }

        try
        {
            ModelRegistry.CheckAlias(publication.Alias);
            var tags = new Dictionary<string, string>(publication.Registration.Tags) { ["published_from"] = publication.Source };
            var version = registry.Register(name, publication.Registration with { Tags = tags });
            return registry.Promote(name, version.Version, publication.Alias, publication.Gates, publication.Reason ?? $"published from {publication.Source}", gates);
        }
        catch (ArgumentException e)
        {
            throw new InferenceException(400, e.Message);
        }
    }
}
