// apr rl --backend: one GRPO step whose rollouts come from two loopback `apr serve` servers equals the
// in-process step with the same seed: the same rollouts (temperature 1: the client samples from the
// servers' log-probs with each call's own stream), so the same rewards, and loss and KL within 1e-4 (the
// recorded old log-probs come back through JSON floats). After the step the servers answer with the new
// weights: a greedy run through them equals the trained checkpoint in process, not the starting model.
using Apr.Inference;
using Apr.Protocol;
using Apr.Reinforcement;

namespace Apr.Remote.Tests;

[Apr.Testing.Slow]
public sealed class RlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-remote-rl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task One_RL_step_over_two_loopback_servers_equals_the_in_process_step_and_the_servers_then_run_the_new_weights()
    {
        var problems = Loopback.Problems(4);
        var options = new RlOptions
        {
            ModelDirectory = Loopback.TinyModel, Problems = problems, OutputDirectory = Path.Combine(_dir, "local"),
            Steps = 1, ProblemsPerStep = 2, Group = 3, LatencyWeight = 0.1, ValInterval = 0, CheckpointInterval = 1, Threads = 1, Slots = 16,
            Guards = GuardOptions.Default with { ContextPerThread = 384 }, Lr = 1e-3, Seed = 3,
        };
        GrpoTrainer.Run(options);

        var a = await Loopback.ServeAsync();
        var b = await Loopback.ServeAsync();
        try
        {
            using var backend = new RemoteBackend(Loopback.Fast(a.Url, b.Url));
            GrpoTrainer.Run(options with { OutputDirectory = Path.Combine(_dir, "remote"), Backend = backend });

            var local = new RlMetrics(Path.Combine(_dir, "local", "metrics.jsonl")).Steps.Single();
            var remote = new RlMetrics(Path.Combine(_dir, "remote", "metrics.jsonl")).Steps.Single();
            Assert.True(local.TrainedRollouts > 0, "no rollout was trained: the step compares nothing");
            Assert.Equal((local.Reward, local.Accuracy, local.TrainedRollouts, local.TokensPerProblem), (remote.Reward, remote.Accuracy, remote.TrainedRollouts, remote.TokensPerProblem));
            Assert.Equal(local.Loss, remote.Loss, 1e-4);
            Assert.Equal(local.Kl, remote.Kl, 1e-4);
            Assert.All(backend.RequestsPerServer, s => Assert.True(s.Requests > 0, $"{s.Url} served no rollout"));
            Assert.Equal(0, backend.Stats.FailedRequests);

            // The servers now run the updated policy: greedy records through them equal the trained checkpoint's, and not the start's.
            var items = MultiSample.Items(problems, 1, 1);
            var solve = new SolveOptions(SearchMethod.Apr, Sampling: new SamplingOptions(1), Guards: options.Guards);
            IReadOnlyList<ProblemRecord> Local(string model)
            {
                using var session = InferenceSession.Load(model, new SessionOptions(1, 16, 384));
                return session.Runtime(solve).Solve(items);
            }
            using var remoteSession = InferenceSession.Load(Loopback.TinyModel, new SessionOptions(1, 16, 384, backend));
            var served = await Task.Run(() => remoteSession.Runtime(solve).Solve(items));
            var difference = Loopback.Difference(Local(Path.Combine(_dir, "remote")), served);
            Assert.True(difference is null, difference);
            Assert.NotNull(Loopback.Difference(Local(Loopback.TinyModel), served));
        }
        finally
        {
            await a.App.DisposeAsync();
            await b.App.DisposeAsync();
        }
    }
}
