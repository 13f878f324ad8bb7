namespace NotebookMl.Training.Tuning;

/// <summary>Which way a study's metric is better.</summary>
public enum Direction
{
    /// <summary>Larger is better (AUC).</summary>
    Maximize,

    /// <summary>Smaller is better (log loss, RMSE).</summary>
    Minimize,
}

/// <summary>Where a trial stands.</summary>
public enum TrialState
{
    /// <summary>Claimed by a worker, whose heartbeat says it is alive.</summary>
    Running,

    /// <summary>Finished with a value.</summary>
    Complete,

    /// <summary>Stopped early by the pruner, with its curve so far.</summary>
    Pruned,

    /// <summary>Ended by an error, or found running with a stale heartbeat (its worker died); retried once.</summary>
    Failed,
}

/// <summary>A study's definition, fixed when it is created: what it searches, for which metric, which way, how.</summary>
/// <param name="Name">The study's name (unique in the store).</param>
/// <param name="Experiment">The experiment its parent run and trial runs are tracked in.</param>
/// <param name="Space">The search space.</param>
/// <param name="Metric">The run metric each trial is judged by (cv_auc, test_auc, …).</param>
/// <param name="Direction">Which way the metric is better.</param>
/// <param name="Sampler">tpe, random or grid.</param>
/// <param name="Seed">The sampler's seed.</param>
/// <param name="Trials">How many trials the study runs in all (failed ones retried once do not count twice).</param>
/// <param name="Fixed">The fixed part of every trial, as the host wrote it (JSON), so that a joining worker trains the same way.</param>
public sealed record StudyDefinition(string Name, string Experiment, SearchSpace Space, string Metric, Direction Direction, string Sampler, int Seed, int Trials, string Fixed);

/// <summary>A trial as the store keeps it.</summary>
/// <param name="Number">0, 1, … in the order trials were claimed.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Values">Its value of each dimension.</param>
/// <param name="Value">Its metric, once complete (or its last reported value, once pruned).</param>
/// <param name="Step">The last step it reported (trees, epochs), for pruning.</param>
/// <param name="RunId">Its tracked run, once it has one.</param>
/// <param name="Worker">The worker that claimed it (host:pid).</param>
/// <param name="RetryOf">The failed trial it retries, if any.</param>
public sealed record TrialRecord(int Number, TrialState State, IReadOnlyDictionary<string, object> Values, double? Value, long Step, string? RunId, string Worker, int? RetryOf);
