using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;
using NotebookMl.Core.Registry.Events;

namespace NotebookMl.Serving.Models;

/// <summary>
/// The models the endpoint serves, from the workspace registry (Triton's model repository: names, events, index). Each
/// model's default version is the one the serving alias points at; any other non-archived version is loaded on first
/// request by number. When the alias moves (a promotion in any process, read from the registry's event log) the
/// <see cref="VersionLifecycle"/> loads and warms the new version in the background, then swaps it in; requests in
/// flight finish on the old one. A load that fails leaves the serving version in place, and the index says why. The
/// <see cref="TrafficRouter"/> picks the canary's and shadow's versions.
/// </summary>
public sealed class ModelRepository : IDisposable
{
    private readonly ModelRegistry _registry;
    private readonly ServingOptions _options;
    private readonly Action<string> _log;
    private readonly IReadOnlyDictionary<string, FallbackRule> _fallbacks;
    private readonly VersionLifecycle _lifecycle;
    private readonly TrafficRouter _router;
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.Ordinal);
    private readonly Lock _modelsLock = new();
    private RegistrySubscription? _subscription;

    /// <summary>
    /// The repository of <paramref name="registry"/>'s models. <paramref name="features"/> opens the workspace's feature store, the
    /// first time a version trained on feature views loads (its online features may then be left out of requests).
    /// </summary>
    public ModelRepository(ModelRegistry registry, ServingOptions options, Action<string> log, ServingMetrics metrics, IReadOnlyDictionary<string, FallbackRule>? fallbacks = null, Func<Core.Features.FeatureStore>? features = null)
    {
        (_registry, _options, _log, _fallbacks) = (registry, options, log, fallbacks ?? new Dictionary<string, FallbackRule>());
        _lifecycle = new VersionLifecycle(registry, options, log, metrics, FallbackOf, features);
        _router = new TrafficRouter(registry, _lifecycle, log);
    }

    /// <summary>The fallback rule of <paramref name="name"/>, or null.</summary>
    public FallbackRule? FallbackOf(string name) => _fallbacks.GetValueOrDefault(name);

    /// <summary>A lease on the version that served before the default (kept for a previous-version fallback), or null.</summary>
    public Lease? AcquirePrevious(string name) => TryFind(name) is { } model ? TrafficRouter.AcquirePrevious(model) : null;

    /// <summary>The registered signature of the version the alias points at (for answering when nothing is loaded), or null.</summary>
    public ModelSignature? RegisteredSignature(string name) => RegisteredVersion(name)?.Signature;

    /// <summary>The registered version the alias points at, loaded or not, or null.</summary>
    public ModelVersion? RegisteredVersion(string name)
    {
        try
        {
            return _registry.AliasVersion(name, Alias);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The alias whose version is each model's default.</summary>
    public string Alias => _options.Alias;

    /// <summary>Loads every served model's default version (one log line each), then follows the registry's events.</summary>
    public void Start()
    {
        var known = _registry.ListModels().Select(m => m.Name).ToArray();
        if (_options.Models.FirstOrDefault(m => !known.Contains(m)) is { } unknown)
        {
            throw new Core.Options.InvalidOptionException(nameof(ServingOptions.Models), $"no registered model '{unknown}'; models: {(known.Length > 0 ? string.Join(", ", known) : "none")}.");
        }

        // Subscribe first: an alias moved while the models load is still seen.
        _subscription = _registry.Subscribe(OnEvent, _options.PollInterval, (change, error) => _log($"event {change.Id} ({change.Type} {change.Name}) failed: {error.Message}"));
        foreach (var (name, rule) in _fallbacks)
        {
            if (rule.Sql is { } sql && RegisteredSignature(name) is { } signature)
            {
                try
                {
                    sql.Check(signature);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{sql.Where}: {e.Message}", e);
                }
            }
        }

        foreach (var name in _options.Models.Count > 0 ? _options.Models : known)
        {
            _lifecycle.LoadDefault(Model(name));
            _router.Follow(Model(name));
        }
    }

    /// <summary>True when every served model that is not unloaded has a default version.</summary>
    public bool Ready
    {
        get
        {
            lock (_modelsLock)
            {
                return _models.Values.All(m => m.Unloaded || m.Default is not null);
            }
        }
    }

    /// <summary>The names of the served models.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_modelsLock)
            {
                return _models.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>
    /// A lease on the version a request names: the default (<paramref name="version"/> null) or that number. Unknown models
    /// and versions are 404; a model with nothing to serve is 503. With <paramref name="routed"/>, a request that names no
    /// version goes to the canary's version for the canary's share of requests (the lease's route says so).
    /// </summary>
    public Lease Acquire(string name, int? version, bool routed = false)
    {
        var model = Find(name);
        if (routed && version is null && _router.Canary(model) is { } canary)
        {
            return canary;
        }

        while (true)
        {
            var served = version is { } number && model.Default?.Version.Version != number ? _lifecycle.ByNumber(model, number) : model.Default;
            if (served is null)
            {
                throw new InferenceException(503, model.Unloaded
                    ? $"model '{name}' is unloaded; load it with POST /v2/repository/models/{name}/load."
                    : $"model '{name}' has no version @{Alias} to serve{(model.Reason is { } r ? $" ({r})" : "")}; promote one, or address a version by number.");
            }

            if (served.TryAcquire())
            {
                return new Lease(served, version is null ? Predictions.PredictionRoutes.Default : Predictions.PredictionRoutes.Version);
            }
        }
    }

    /// <summary>What requests to the default version of <paramref name="name"/> may carry, or null when none is loaded.</summary>
    public RequestSignature? DefaultAccepts(string name) => TryFind(name)?.Default?.Accepts;

    /// <summary>The canary and shadow of <paramref name="name"/> as this endpoint follows them.</summary>
    public TrafficState TrafficOf(string name) => Find(name).Traffic;

    /// <summary>The version requests to <paramref name="name"/> are mirrored to, or null when it has no shadow (or the shadow is the default).</summary>
    public int? ShadowVersion(string name) => TryFind(name) is { } model ? TrafficRouter.ShadowVersion(model) : null;

    /// <summary>A lease on version <paramref name="version"/> of <paramref name="name"/> as its shadow runs it: loaded apart, with a sequential session.</summary>
    public Lease AcquireShadow(string name, int version) => _router.AcquireShadow(Find(name), version);

    /// <summary>The repository index (Triton's): each loaded version, and each model not serving, with the reason.</summary>
    public IReadOnlyList<IndexEntry> Index()
    {
        var entries = new List<IndexEntry>();
        foreach (var name in Names)
        {
            var model = Find(name);
            entries.Add(Entry(model));
            foreach (var (number, lazy) in model.ByNumber.OrderBy(v => v.Key))
            {
                if (lazy.IsValueCreated)
                {
                    entries.Add(new IndexEntry(name, number, "READY", null));
                }
            }
        }

        return entries;
    }

    /// <summary>(Re)loads the version the alias points at; when that fails the serving version stays and the error says why.</summary>
    public void Load(string name)
    {
        var model = Model(name);
        model.Unloaded = false;
        if (!_lifecycle.LoadDefault(model))
        {
            throw new InferenceException(400, $"model '{name}' failed to load: {model.Reason}");
        }
    }

    /// <summary>
    /// Loads what the serving alias of <paramref name="name"/> points at now, as the alias's event would (a caller that just moved
    /// it need not wait for the event), and says what serves: the version, or none and why.
    /// </summary>
    public IndexEntry Follow(string name)
    {
        if (_options.Models.Count > 0 && !_options.Models.Contains(name))
        {
            return new IndexEntry(name, null, "UNAVAILABLE", $"not served here; this endpoint serves {string.Join(", ", _options.Models)}");
        }

        var model = Model(name);
        if (!model.Unloaded)
        {
            _lifecycle.LoadDefault(model);
        }

        return Entry(model);
    }

    /// <summary>Stops serving <paramref name="name"/> (every version) until it is loaded again.</summary>
    public void Unload(string name) => _lifecycle.Unload(Find(name));

    /// <inheritdoc/>
    public void Dispose()
    {
        _subscription?.Dispose();
        foreach (var rule in _fallbacks.Values)
        {
            rule.Sql?.Dispose();
        }

        lock (_modelsLock)
        {
            foreach (var model in _models.Values)
            {
                VersionLifecycle.RetireAll(model);
            }
        }
    }

    private IndexEntry Entry(ServedModel model) => model.Default is { } served
        ? new IndexEntry(model.Name, served.Version.Version, "READY", model.Reason)
        : new IndexEntry(model.Name, null, "UNAVAILABLE", model.Unloaded ? "unloaded" : model.Reason ?? $"no version is @{Alias}");

    private void OnEvent(RegistryEvent change)
    {
        if (_options.Models.Count > 0 && !_options.Models.Contains(change.Name))
        {
            return;
        }

        if (TrafficRouter.Concerns(TryFind(change.Name), change))
        {
            _router.Follow(Model(change.Name));
        }

        if (change.Type == RegistryEventTypes.AliasSet && change.Alias == Alias)
        {
            var model = Model(change.Name);
            if (!model.Unloaded && model.Default?.Version.Version != change.Version)
            {
                // Loaded and warmed off the request path; requests keep going to the serving version meanwhile.
                _ = Task.Run(() => _lifecycle.LoadDefault(model));
            }
        }
        else if (change.Type == RegistryEventTypes.VersionArchived && TryFind(change.Name) is { } model)
        {
            VersionLifecycle.Retire(model, change.Version!.Value);
        }
    }

    private ServedModel Model(string name)
    {
        lock (_modelsLock)
        {
            return _models.TryGetValue(name, out var model) ? model : _models[name] = new ServedModel(name);
        }
    }

    private ServedModel? TryFind(string name)
    {
        lock (_modelsLock)
        {
            return _models.GetValueOrDefault(name);
        }
    }

    private ServedModel Find(string name)
    {
        lock (_modelsLock)
        {
            if (_models.TryGetValue(name, out var model))
            {
                return model;
            }

            throw new InferenceException(404, $"model '{name}' is not served here; models: {(_models.Count > 0 ? string.Join(", ", _models.Keys.Order(StringComparer.Ordinal)) : "none")}.");
        }
    }
}
