using Prometheus;

namespace NotebookMl.Serving.Metrics;

/// <summary>The endpoint's Prometheus metrics (prometheus-net), in a registry of its own, labelled by model and version.</summary>
public sealed class ServingMetrics
{
    private static readonly double[] s_seconds = Histogram.ExponentialBuckets(0.0001, 2, 16);

    /// <summary>Creates the metrics in a new registry.</summary>
    public ServingMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("notebookml_inference_requests_total", "Inference requests by model, version and outcome (success, failure).", "model", "version", "outcome");
        RequestDuration = factory.CreateHistogram("notebookml_inference_request_duration_seconds", "Inference request time, from the body read to the response written.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = s_seconds });
        QueueDuration = factory.CreateHistogram("notebookml_inference_queue_duration_seconds", "Time a request waited for its batch (0 without dynamic batching).",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = s_seconds });
        ComputeDuration = factory.CreateHistogram("notebookml_inference_compute_duration_seconds", "Time in ONNX Runtime per request.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = s_seconds });
        BatchRows = factory.CreateHistogram("notebookml_inference_batch_rows", "Rows per ONNX Runtime call.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = Histogram.ExponentialBuckets(1, 2, 12) });
        InFlight = factory.CreateGauge("notebookml_inference_requests_in_flight", "Inference requests being handled now (body read, queued or running), by model.", "model");
        LoadedVersions = factory.CreateGauge("notebookml_model_versions_loaded", "Versions of each model loaded and serving.", "model");
        Fallbacks = factory.CreateCounter("notebookml_fallback_total", "Requests answered by a model's fallback, by reason (unavailable, error, timeout) and rule (previous_version, constant).", "model", "reason", "rule");
        Shadow = factory.CreateCounter("notebookml_shadow_requests_total", "Requests mirrored to a model's shadow version, by outcome (mirrored, failed, dropped when its queue was full).", "model", "version", "outcome");
        OnlineFeatures = factory.CreateCounter("notebookml_online_features_total", "Online feature values looked up for requests that left them out, by outcome: hit, expired (past the view's TTL), missing (never materialized).", "model", "outcome");
        LogDropped = factory.CreateCounter("notebookml_prediction_log_dropped_total", "Rows not written to the prediction log because the rows waiting for the disk reached their bound.", "model");
        Swaps = factory.CreateCounter("notebookml_model_swaps_total", "Default-version swaps after an alias moved, by outcome (swapped, failed).", "model", "outcome");
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram RequestDuration { get; }

    public Histogram QueueDuration { get; }

    public Histogram ComputeDuration { get; }

    public Histogram BatchRows { get; }

    public Gauge LoadedVersions { get; }

    public Gauge InFlight { get; }

    public Counter Swaps { get; }

    public Counter Fallbacks { get; }

    public Counter Shadow { get; }

    public Counter LogDropped { get; }

    public Counter OnlineFeatures { get; }
}
