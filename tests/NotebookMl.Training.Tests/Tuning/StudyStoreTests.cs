using Microsoft.Extensions.Time.Testing;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;
using NotebookMl.Training.Tuning;

namespace NotebookMl.Training.Tests.Tuning;

/// <summary>
/// A study shared by workers through the workspace store, on SQLite and on PostgreSQL: concurrent claims number every
/// trial once, the sampler sees the others' results, a dead worker's trial is failed and retried once with its values,
/// and a study joined with another definition is refused.
/// </summary>
public abstract class StudyStoreTests(StoreEngine engine) : IDisposable
{
    private static readonly SearchSpace s_space = SearchSpace.Parse("x=float(-10,10) y=int(1,100,log)", "Space");
    private readonly TestStore _store = new(engine == StoreEngine.PostgreSql, "notebookml-study-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private WorkspaceDatabase Database => WorkspaceDatabase.Open(WorkspaceLocation.At(_store.Folder));

    [Fact]
    public async Task Workers_claiming_at_once_run_every_trial_exactly_once()
    {
        var study = new StudyStore(Database, _time).CreateOrJoin(Definition("race", trials: 40));

        // Three workers, each with its own store and sampler, as three processes would have.
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            var store = new StudyStore(Database, _time);
            var sampler = new TpeSampler(w);
            var done = new List<int>();
            while (store.Claim(study, sampler, $"worker-{w}", TimeSpan.FromMinutes(5)) is { } trial)
            {
                store.Finish(study.Name, trial.Number, TrialState.Complete, Math.Pow((double)trial.Values["x"] - 3, 2), 0, null);
                done.Add(trial.Number);
            }

            return done;
        })).ToArray();
        var claimed = (await Task.WhenAll(workers)).SelectMany(d => d).Order().ToArray();

        var trials = new StudyStore(Database, _time).Trials("race");
        Assert.Equal(Enumerable.Range(0, 40), claimed);
        Assert.Equal(40, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.IsType<long>(t.Values["y"]));
        Assert.True(trials.Min(t => t.Value!.Value) < 0.5, "TPE across the workers should get near x = 3");
    }

    [Fact]
    public void A_trial_whose_worker_died_is_failed_and_retried_once_with_its_values()
    {
        var store = new StudyStore(Database, _time);
        var study = store.CreateOrJoin(Definition("crash", trials: 3));
        var sampler = new RandomSampler(1);
        var lost = store.Claim(study, sampler, "dead", TimeSpan.FromMinutes(1))!;
        _time.Advance(TimeSpan.FromMinutes(2));

        var retry = store.Claim(study, sampler, "alive", TimeSpan.FromMinutes(1))!;
        store.Finish(study.Name, lost.Number, TrialState.Complete, 1, 0, null);
        _time.Advance(TimeSpan.FromMinutes(2));
        var again = store.Claim(study, sampler, "alive", TimeSpan.FromMinutes(1))!;
        var next = store.Claim(study, sampler, "alive", TimeSpan.FromMinutes(1))!;
        var none = store.Claim(study, sampler, "alive", TimeSpan.FromMinutes(1));

        var trials = store.Trials("crash");
        Assert.Equal((1, (int?)0), (retry.Number, retry.RetryOf));
        Assert.Equal(lost.Values, retry.Values);
        // The dead worker's late result does not revive the failed trial; the retry that also died is not retried again.
        Assert.Equal([TrialState.Failed, TrialState.Failed, TrialState.Running, TrialState.Running], trials.Select(t => t.State));
        Assert.Equal((2, (int?)null), (again.Number, again.RetryOf));
        Assert.Equal(3, next.Number);
        Assert.Null(none);
    }

    [Fact]
    public void A_study_joined_with_another_definition_is_refused()
    {
        var store = new StudyStore(Database, _time);
        store.CreateOrJoin(Definition("lgbm", trials: 10));

        var joined = store.CreateOrJoin(Definition("lgbm", trials: 10) with { Seed = 8 });
        var error = Assert.Throws<InvalidOptionException>(() => store.CreateOrJoin(Definition("lgbm", trials: 10) with { Metric = "cv_log_loss" }));

        Assert.Equal(42, joined.Seed);
        Assert.Equal(("Study", "study 'lgbm' exists with the metric cv_auc, not cv_log_loss; join it with the same metric, or name a new study."), (error.Option, error.Reason));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }

    private static StudyDefinition Definition(string name, int trials) => new(name, "tuning", s_space, "cv_auc", Direction.Minimize, "tpe", 42, trials, "{}");
}

/// <summary>Studies on the embedded store.</summary>
public sealed class StudyStoreTestsOnSqlite() : StudyStoreTests(StoreEngine.Sqlite);

/// <summary>Studies on PostgreSQL.</summary>
public sealed class StudyStoreTestsOnPostgreSql() : StudyStoreTests(StoreEngine.PostgreSql);
