using System.Collections.Concurrent;
using System.Globalization;
using NotebookMl.Core.Features;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// The life of each served version (Triton's model lifecycle): load and warm it, swap it in as a model's default,
/// load others by number or apart as a shadow, and retire them. A load that fails never disturbs what is serving.
/// </summary>
internal sealed class VersionLifecycle(ModelRegistry registry, ServingOptions options, Action<string> log, ServingMetrics metrics, Func<string, FallbackRule?> fallbackOf, Func<FeatureStore>? features)
{
    private readonly ConcurrentDictionary<string, OnlineLookups> _lookups = new(StringComparer.Ordinal);

    /// <summary>The alias whose version is each model's default.</summary>
    public string Alias => options.Alias;

    /// <summary>
    /// Loads and warms what the serving alias of <paramref name="model"/> points at, off the request path, then swaps it in
    /// (requests in flight finish on the old one). False, with the reason on the model, when nothing could be swapped in.
    /// </summary>
    public bool LoadDefault(ServedModel model)
    {
        model.Gate.Wait();
        try
        {
            var target = registry.AliasVersion(model.Name, Alias);
            if (target is null)
            {
                model.Reason = $"no version is @{Alias}";
                log($"{model.Name}: no version is @{Alias}; serving it by version number only");
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
                metrics.Swaps.WithLabels(model.Name, "failed").Inc();
                log($"{model.Name}: {model.Reason}");
                return false;
            }

            var previous = model.Default?.Version.Version;
            model.Swap(next, keepPrevious: fallbackOf(model.Name)?.PreviousVersion == true);
            model.Reason = null;
            metrics.LoadedVersions.WithLabels(model.Name).Set(1 + model.ByNumber.Count(v => v.Value.IsValueCreated));
            if (previous is not null)
            {
                metrics.Swaps.WithLabels(model.Name, "swapped").Inc();
            }

            log($"{model.Name}: serving version {target.Version} (@{Alias}){(previous is { } p ? $", swapped in for version {p}" : "")}, loaded in {clock.Elapsed.TotalMilliseconds:0} ms on {next.Provider}");
            return true;
        }
        finally
        {
            model.Gate.Release();
        }
    }

    /// <summary>Version <paramref name="number"/> of <paramref name="model"/>, loaded on first use: 404 when unknown or archived, 503 when it cannot load (tried again next time).</summary>
    public ServedVersion ByNumber(ServedModel model, int number)
    {
        var lazy = model.ByNumber.GetOrAdd(number, n => new Lazy<ServedVersion>(() =>
        {
            ModelVersion version;
            try
            {
                version = registry.GetVersion(model.Name, n);
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
                log($"{model.Name}: loaded version {n} on first request");
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

    /// <summary>Version <paramref name="number"/> as a shadow runs it: loaded apart, with a sequential session and its own online features.</summary>
    public ServedVersion Shadow(ServedModel model, int number)
    {
        var lazy = model.Shadows.GetOrAdd(number, n => new Lazy<ServedVersion>(() =>
        {
            var version = registry.GetVersion(model.Name, n);
            try
            {
                // Its own online features, from its own lineage: never the served version's.
                return ServedVersion.Load(version, registry.ReadOnnx(version), online: OnlineInputsOf(version), sequential: true);
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
            throw e as InferenceException ?? new InferenceException(404, e.Message);
        }
    }

    /// <summary>Lets go of the shadow versions other than <paramref name="keep"/>.</summary>
    public static void RetireShadows(ServedModel model, int? keep)
    {
        foreach (var (number, lazy) in model.Shadows.ToArray())
        {
            if (number != keep && model.Shadows.TryRemove(number, out _) && lazy.IsValueCreated)
            {
                lazy.Value.Retire();
            }
        }
    }

    /// <summary>Retires version <paramref name="number"/> loaded by number (it was archived).</summary>
    public static void Retire(ServedModel model, int number)
    {
        if (model.ByNumber.TryRemove(number, out var lazy) && lazy.IsValueCreated)
        {
            lazy.Value.Retire();
        }
    }

    /// <summary>Stops serving every version of <paramref name="model"/> until it is loaded again.</summary>
    public void Unload(ServedModel model)
    {
        model.Gate.Wait();
        try
        {
            model.Unloaded = true;
            RetireAll(model);
            metrics.LoadedVersions.WithLabels(model.Name).Set(0);
            log($"unloaded {model.Name}");
        }
        finally
        {
            model.Gate.Release();
        }
    }

    /// <summary>Retires every version of <paramref name="model"/>: the default, those loaded by number and its shadows.</summary>
    public static void RetireAll(ServedModel model)
    {
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
    }

    private ServedVersion Load(ModelVersion version)
    {
        var label = version.Version.ToString(CultureInfo.InvariantCulture);
        var (batch, queue) = (metrics.BatchRows.WithLabels(version.Name, label), metrics.QueueDuration.WithLabels(version.Name, label));
        return ServedVersion.Load(version, registry.ReadOnnx(version), options.MaxBatchSize, options.MaxQueueDelay, rows => batch.Observe(rows), wait => queue.Observe(wait.TotalSeconds), OnlineInputsOf(version));
    }

    private OnlineInputs? OnlineInputsOf(ModelVersion version)
    {
        if (version.FeatureViews.Count == 0 || features is null)
        {
            return null;
        }

        try
        {
            var online = OnlineInputs.For(features(), version, _lookups.GetOrAdd(version.Name, name => new OnlineLookups(name, metrics, log)));
            if (online is not null)
            {
                log($"{version.Name}: version {version.Version} looks up {string.Join(", ", online.Signature.Online)} in the online store by {string.Join(", ", online.Signature.KeyNames)} when a request leaves them out");
            }

            return online;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            // A feature view renamed or dropped since training, or an online store that cannot be reached: the version still
            // serves, with every input sent.
            log($"{version.Name}: version {version.Version}'s online features cannot be looked up ({e.Message}); requests must send every input");
            return null;
        }
    }
}
