using NotebookMl.Core.Registry;
using NotebookMl.Serving.Protocol;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Publishing;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Takes a <see cref="ModelPublication"/> into the endpoint's own registry: registers it as the next version of the
/// model, then promotes it to the alias (the one sent, else the alias this endpoint serves) through every gate (the ones
/// sent, the alias's policy here, and the endpoint's own gates such as the ONNX gate). When the alias is the served one,
/// the repository swaps the new version in before the answer, and the answer says what the endpoint then serves.
/// </summary>
public sealed class ModelPublisher(ModelRegistry registry, ModelRepository repository, IReadOnlyList<IPromotionGate> gates)
{
    /// <summary>Registers, promotes and swaps; a malformed publication is a 400.</summary>
    public Publication Publish(string name, ModelPublication publication)
    {
        if (publication.Name != name)
        {
            throw new InferenceException(400, $"the publication names model '{publication.Name}' but was sent to '{name}'.");
        }

        PromotionResult result;
        try
        {
            var alias = publication.Alias ?? repository.Alias;
            ModelRegistry.CheckAlias(alias);
            var tags = new Dictionary<string, string>(publication.Registration.Tags) { ["published_from"] = publication.Source };
            var version = registry.Register(name, publication.Registration with { Tags = tags });
            result = registry.Promote(name, version.Version, alias, publication.Gates, publication.Reason ?? $"published from {publication.Source}", gates);
        }
        catch (ArgumentException e)
        {
            throw new InferenceException(400, e.Message);
        }

        // Read back, not inferred: what the served alias serves now that the swap (if any) is done.
        return new Publication(result, repository.Follow(name));
    }
}

/// <summary>A publication's promotion, and what the endpoint serves for its serving alias afterwards.</summary>
public sealed record Publication(PromotionResult Promotion, IndexEntry Serving);
