using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// The models the endpoint serves, from the workspace registry. Each model's default version is the one the serving
/// alias points at; any other non-archived version is loaded on first request by number. When the alias moves (a
/// promotion in any process, read from the registry's event log) the new version is loaded and warmed in the
/// background, then swapped in; requests in flight finish on the old one. A load that fails leaves the serving
/// version in place, and the index says why.
/// </summary>
public sealed class ModelRepository : IDisposable
{
    private readonly ModelRegistry _registry;
    private readonly ServingOptions _options;
    private readonly Action<string> _log;
    private readonly ServingMetrics _metrics;
    private readonly IReadOnlyDictionary<string, FallbackRule> _fallbacks;
    private readonly Func<Core.Features.FeatureStore>? _features;
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OnlineLookups> _lookups = new(StringComparer.Ordinal);
    private readonly Lock _modelsLock = new();
    private RegistrySubscription? _subscription;

    /// <summary>
    /// The repository of <paramref name="registry"/>'s models. <paramref name="features"/> opens the workspace's feature store, the
    /// first time a version trained on feature views loads (its online features may then be left out of requests).
    /// </summary>
    public ModelRepository(ModelRegistry registry, ServingOptions options, Action<string> log, ServingMetrics metrics, IReadOnlyDictionary<string, FallbackRule>? fallbacks = null, Func<Core.Features.FeatureStore>? features = null)
    {
        (_registry, _options, _log, _metrics, _fallbacks, _features) = (registry, options, log, metrics, fallbacks ?? new Dictionary<string, FallbackRule>(), features);
    }

    /// <summary>The fallback rule of <paramref name="name"/>, or null.</summary>
    public FallbackRule? FallbackOf(string name) => _fallbacks.GetValueOrDefault(name);

    /// <summary>A lease on the version that served before the default (kept for a previous-version fallback), or null.</summary>
    public Lease? AcquirePrevious(string name) => TryFind(name)?.Previous is { } previous && previous.TryAcquire() ? new Lease(previous) : null;

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
            LoadDefault(Model(name));
            FollowTraffic(Model(name));
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
        if (routed && version is null && Canary(model) is { } canary)
        {
            return canary;
        }

        while (true)
        {
            var served = version is { } number && model.Default?.Version.Version != number ? ByNumber(model, number) : model.Default;
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
    public int? ShadowVersion(string name) =>
        TryFind(name) is { Traffic: { ShadowVersion: { } shadow, ShadowBroken: false } } model && shadow != model.Default?.Version.Version ? shadow : null;

    /// <summary>A lease on version <paramref name="version"/> of <paramref name="name"/> as its shadow runs it: loaded apart, with a sequential session.</summary>
    public Lease AcquireShadow(string name, int version)
    {
        var model = Find(name);
        while (true)
        {
            if (Shadow(model, version) is var shadow && shadow.TryAcquire())
            {
                return new Lease(shadow, Predictions.PredictionRoutes.Shadow);
            }

            // Retired meanwhile (the shadow moved, or the model was unloaded): forget it and load it again.
            model.Shadows.TryRemove(version, out _);
        }
    }

    private ServedVersion Shadow(ServedModel model, int number)
    {
        var lazy = model.Shadows.GetOrAdd(number, n => new Lazy<ServedVersion>(() =>
        {
            var version = _registry.GetVersion(model.Name, n);
            try
            {
                // Its own online features, from its own lineage: never the served version's.
                return ServedVersion.Load(version, _registry.ReadOnnx(version), online: OnlineInputsOf(version), sequential: true);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                throw new InferenceException(503, e.Message);
            }
        }));
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is InferenceException or ArgumentException)
        {
            model.Shadows.TryRemove(new KeyValuePair<int, Lazy<ServedVersion>>(number, lazy));
            if (model.Traffic is { ShadowVersion: var shadow } traffic && shadow == number)
            {
                MarkBroken(model, traffic, canary: false, e.Message);
            }

            throw e as InferenceException ?? new InferenceException(404, e.Message);
        }
    }

    private Lease? Canary(ServedModel model)
    {
        var traffic = model.Traffic;
        if (traffic is not { CanaryVersion: { } number, Routes.Canary: { } route, CanaryBroken: false } || number == model.Default?.Version.Version || Random.Shared.NextDouble() * 100 >= route.Percent)
        {
            return null;
        }

        try
        {
            var canary = ByNumber(model, number);
            return canary.TryAcquire() ? new Lease(canary, Predictions.PredictionRoutes.Canary) : null;
        }
        catch (InferenceException e)
        {
            // The canary cannot serve: the default answers, and the canary is not tried again until it is set again.
            MarkBroken(model, traffic, canary: true, e.Message);
            return null;
        }
    }

    // Once per traffic state: a version that failed to load is not loaded again on every request or batch.
    private void MarkBroken(ServedModel model, TrafficState traffic, bool canary, string reason)
    {
        var broken = canary ? traffic with { CanaryBroken = true } : traffic with { ShadowBroken = true };
        if (Interlocked.CompareExchange(ref model.TrafficField, broken, traffic) == traffic)
        {
            _log($"{model.Name}: {(canary ? $"canary version {traffic.CanaryVersion} cannot serve; the default answers" : $"shadow version {traffic.ShadowVersion} cannot run; nothing is mirrored")} until it is set again ({reason})");
        }
    }

    /// <summary>Reads the model's canary and shadow from the registry, and loads their versions off the request path.</summary>
    private void FollowTraffic(ServedModel model)
    {
        TrafficRoutes routes;
        try
        {
            routes = _registry.Traffic(model.Name);
        }
        catch (ArgumentException)
        {
            return;
        }

        int? Target(string? alias) => alias is null ? null : _registry.AliasVersion(model.Name, alias)?.Version;
        var state = new TrafficState(routes, Target(routes.Canary?.Alias), Target(routes.Shadow?.Alias));
        var before = model.Traffic;
        model.Traffic = state;
        if (before.Routes == state.Routes && before.CanaryVersion == state.CanaryVersion && before.ShadowVersion == state.ShadowVersion)
        {
            return;
        }

        _log($"{model.Name}: canary {(routes.Canary is { } c ? $"{c.Percent:0.##} % to @{c.Alias} (version {state.CanaryVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})" : "off")}, " +
            $"shadow {(routes.Shadow is { } s ? $"@{s.Alias} (version {state.ShadowVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})" : "off")}");
        foreach (var (number, shadow) in new[] { (state.CanaryVersion, false), (state.ShadowVersion, true) }.Where(v => v.Item1 is not null).Select(v => (v.Item1!.Value, v.Item2)))
        {
            _ = Task.Run(() =>
            {
                try
                {
                    _ = shadow ? Shadow(model, number) : ByNumber(model, number);
                }
                catch (InferenceException e)
                {
                    MarkBroken(model, state, canary: !shadow, e.Message);
                }
            });
        }

        // A shadow version no longer shadowing is let go.
        foreach (var (number, lazy) in model.Shadows.ToArray())
        {
            if (number != state.ShadowVersion && model.Shadows.TryRemove(number, out _) && lazy.IsValueCreated)
            {
                lazy.Value.Retire();
            }
        }
    }

    /// <summary>The repository index (Triton's): each loaded version, and each model not serving, with the reason.</summary>
    public IReadOnlyList<IndexEntry> Index()
    {
        var entries = new List<IndexEntry>();
        foreach (var name in Names)
        {
            var model = Find(name);
            if (model.Default is { } served)
            {
                entries.Add(new IndexEntry(name, served.Version.Version, "READY", model.Reason));
            }
            else
            {
                entries.Add(new IndexEntry(name, null, "UNAVAILABLE", model.Unloaded ? "unloaded" : model.Reason ?? $"no version is @{Alias}"));
            }

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
        if (!LoadDefault(model))
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
            LoadDefault(model);
        }

        return model.Default is { } served
            ? new IndexEntry(name, served.Version.Version, "READY", model.Reason)
            : new IndexEntry(name, null, "UNAVAILABLE", model.Unloaded ? "unloaded" : model.Reason ?? $"no version is @{Alias}");
    }

    /// <summary>Stops serving <paramref name="name"/> (every version) until it is loaded again.</summary>
    public void Unload(string name)
    {
        var model = Find(name);
        model.Gate.Wait();
        try
        {
            model.Unloaded = true;
            model.Swap(null);
            foreach (var versions in new[] { model.ByNumber, model.Shadows })
            {
                foreach (var (number, lazy) in versions.ToArray())
                {
                    if (versions.TryRemove(number, out _) && lazy.IsValueCreated)
                    {
                        lazy.Value.Retire();
                    }
                }
            }

            _metrics.LoadedVersions.WithLabels(name).Set(0);
            _log($"unloaded {name}");
        }
        finally
        {
            model.Gate.Release();
        }
    }

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
                model.Swap(null);
                foreach (var lazy in model.ByNumber.Values.Concat(model.Shadows.Values).Where(l => l.IsValueCreated))
                {
                    lazy.Value.Retire();
                }
            }
        }
    }

    private void OnEvent(RegistryEvent change)
    {
        var served = _options.Models.Count == 0 || _options.Models.Contains(change.Name);
        if (!served)
        {
            return;
        }

        if (change.Type is RegistryEventTypes.CanarySet or RegistryEventTypes.CanaryCleared or RegistryEventTypes.ShadowSet or RegistryEventTypes.ShadowCleared
            || (change.Type is RegistryEventTypes.AliasSet or RegistryEventTypes.AliasDeleted && TryFind(change.Name) is { Traffic.Routes: { } routes } && (routes.Canary?.Alias == change.Alias || routes.Shadow?.Alias == change.Alias)))
        {
            FollowTraffic(Model(change.Name));
        }

        if (change.Type == RegistryEventTypes.AliasSet && change.Alias == Alias)
        {
            var model = Model(change.Name);
            if (!model.Unloaded && model.Default?.Version.Version != change.Version)
            {
                // Loaded and warmed off the request path; requests keep going to the serving version meanwhile.
                _ = Task.Run(() => LoadDefault(model));
            }
        }
        else if (change.Type == RegistryEventTypes.VersionArchived && TryFind(change.Name) is { } model && model.ByNumber.TryRemove(change.Version!.Value, out var lazy) && lazy.IsValueCreated)
        {
            lazy.Value.Retire();
        }
    }

    private bool LoadDefault(ServedModel model)
    {
        model.Gate.Wait();
        try
        {
            var target = _registry.AliasVersion(model.Name, Alias);
            if (target is null)
            {
                model.Reason = $"no version is @{Alias}";
                _log($"{model.Name}: no version is @{Alias}; serving it by version number only");
                return false;
            }

            if (model.Default?.Version.Version == target.Version)
            {
                return true;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            ServedVersion next;
            try
            {
                next = Load(target);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                model.Reason = $"version {target.Version} failed to load: {e.Message}" + (model.Default is { } current ? $"; still serving version {current.Version.Version}" : "");
                _metrics.Swaps.WithLabels(model.Name, "failed").Inc();
                _log($"{model.Name}: {model.Reason}");
                return false;
            }

            var previous = model.Default?.Version.Version;
            model.Swap(next, keepPrevious: FallbackOf(model.Name)?.PreviousVersion == true);
            model.Reason = null;
            _metrics.LoadedVersions.WithLabels(model.Name).Set(1 + model.ByNumber.Count(v => v.Value.IsValueCreated));
            if (previous is not null)
            {
                _metrics.Swaps.WithLabels(model.Name, "swapped").Inc();
            }

            _log($"{model.Name}: serving version {target.Version} (@{Alias}){(previous is { } p ? $", swapped in for version {p}" : "")}, loaded in {clock.Elapsed.TotalMilliseconds:0} ms on {next.Provider}");
            return true;
        }
        finally
        {
            model.Gate.Release();
        }
    }

    private ServedVersion ByNumber(ServedModel model, int number)
    {
        var lazy = model.ByNumber.GetOrAdd(number, n => new Lazy<ServedVersion>(() =>
        {
            ModelVersion version;
            try
            {
                version = _registry.GetVersion(model.Name, n);
            }
            catch (ArgumentException e)
            {
                throw new InferenceException(404, e.Message);
            }

            if (version.Status == ModelVersionStatus.Archived)
            {
                throw new InferenceException(404, $"{version.Uri} is archived and is not served.");
            }

            try
            {
                var loaded = Load(version);
                _log($"{model.Name}: loaded version {n} on first request");
                return loaded;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                throw new InferenceException(503, e.Message);
            }
        }));
        try
        {
            return lazy.Value;
        }
        catch (InferenceException)
        {
            // Not cached: the next request tries again (the version may be registered or repaired since).
            model.ByNumber.TryRemove(new KeyValuePair<int, Lazy<ServedVersion>>(number, lazy));
            throw;
        }
    }

    private ServedVersion Load(ModelVersion version)
    {
        var label = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (batch, queue) = (_metrics.BatchRows.WithLabels(version.Name, label), _metrics.QueueDuration.WithLabels(version.Name, label));
        return ServedVersion.Load(version, _registry.ReadOnnx(version), _options.MaxBatchSize, _options.MaxQueueDelay, rows => batch.Observe(rows), wait => queue.Observe(wait.TotalSeconds), OnlineInputsOf(version));
    }

    private OnlineInputs? OnlineInputsOf(ModelVersion version)
    {
        if (version.FeatureViews.Count == 0 || _features is null)
        {
            return null;
        }

        try
        {
            var online = OnlineInputs.For(_features!(), version, _lookups.GetOrAdd(version.Name, name => new OnlineLookups(name, _metrics, _log)));
            if (online is not null)
            {
                _log($"{version.Name}: version {version.Version} looks up {string.Join(", ", online.Signature.Online)} in the online store by {string.Join(", ", online.Signature.KeyNames)} when a request leaves them out");
            }

            return online;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            // A feature view renamed or dropped since training, or an online store that cannot be reached: the version still
            // serves, with every input sent.
            _log($"{version.Name}: version {version.Version}'s online features cannot be looked up ({e.Message}); requests must send every input");
            return null;
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

/// <summary>A request's hold on a served version; dispose it when the response is written.</summary>
public readonly struct Lease(ServedVersion version, string route = Predictions.PredictionRoutes.Default) : IDisposable
{
    /// <summary>The version the request runs on.</summary>
    public ServedVersion Version { get; } = version;

    /// <summary>How the request reached it (<see cref="Predictions.PredictionRoutes"/>).</summary>
    public string Route { get; } = route;

    /// <inheritdoc/>
    public void Dispose() => Version.Release();
}

/// <summary>A row of the repository index: a model, its version (null when none serves), its state (READY, UNAVAILABLE) and why.</summary>
public sealed record IndexEntry(string Name, int? Version, string State, string? Reason);
