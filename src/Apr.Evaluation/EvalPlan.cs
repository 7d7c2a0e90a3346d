// EvalPlan: the conditions a set of EvalSettings asks for, each tagged with the sweeps that plot it.
// Baselines come with every model condition family: the random-choice policy (same grammar, no model)
// and the symbolic solver that wrote the demonstrations. Which sweep needs what:
//   greedy   model, random, symbolic per method (all problems)
//   context  + APR greedy with each Sub Call Budget (SweepLimit problems); curves of every greedy condition
//   tokens   SoS+ n samples (cons@k, pass@k) and APR per Sub Call Budget at the sweep temperature, with the
//            random policy sampled alike (SweepLimit problems)
//   latency  model greedy one problem at a time: APR per Sub Call Budget, SoS+ per Token Budget, and the
//            random policy alike; the symbolic solver on the same problems (sequential tokens only) (LatencyLimit)
//   unguided model greedy without the grammar (UnguidedLimit)
using System.Globalization;
using Apr.Inference;

namespace Apr.Evaluation;

public sealed record PlannedCondition(EvalCondition Condition, EvalSweeps Sweeps);

public static class EvalPlan
{
    public static List<PlannedCondition> Build(EvalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var plan = new List<PlannedCondition>();
        var s = settings.Sweeps;
        string T = settings.Temperature.ToString("0.##", CultureInfo.InvariantCulture);
        foreach (var method in settings.Methods)
        {
            string m = method == SolveMethod.Apr ? "apr" : "sosp", M = method == SolveMethod.Apr ? "APR" : "SoS+";
            bool apr = method == SolveMethod.Apr;
            if (s.HasFlag(EvalSweeps.Greedy) || s.HasFlag(EvalSweeps.Context))
            {
                var sweeps = s & (EvalSweeps.Greedy | EvalSweeps.Context);
                plan.Add(new(new($"{m}-model", $"{M} model", method, EvalPolicy.Model), sweeps));
                plan.Add(new(new($"{m}-random", $"{M} random policy", method, EvalPolicy.Random), sweeps));
                plan.Add(new(new($"{m}-symbolic", $"{M} symbolic solver", method, EvalPolicy.Symbolic), sweeps));
            }
            if (s.HasFlag(EvalSweeps.Context) && apr)
                foreach (var b in settings.SubCallBudgetsOrDefault)
                    plan.Add(new(new($"apr-model-scb{b}", $"APR model, {b} child threads", method, EvalPolicy.Model, SubCallBudget: b, Limit: settings.SweepLimit), EvalSweeps.Context));
            if (s.HasFlag(EvalSweeps.Tokens))
            {
                if (apr)
                {
                    plan.Add(new(new($"apr-model-t{T}", $"APR model, T={T}", method, EvalPolicy.Model, Temperature: settings.Temperature, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                    foreach (var b in settings.SubCallBudgetsOrDefault)
                        plan.Add(new(new($"apr-model-t{T}-scb{b}", $"APR model, T={T}, {b} child threads", method, EvalPolicy.Model, Temperature: settings.Temperature, SubCallBudget: b, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                    plan.Add(new(new($"apr-random-n{settings.Samples}", $"APR random policy", method, EvalPolicy.Random, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                }
                else
                {
                    plan.Add(new(new($"sosp-model-t{T}-n{settings.Samples}", $"SoS+ model, T={T}", method, EvalPolicy.Model, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                    plan.Add(new(new($"sosp-random-n{settings.Samples}", $"SoS+ random policy", method, EvalPolicy.Random, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                }
            }
            if (s.HasFlag(EvalSweeps.Latency))
            {
                plan.Add(new(new($"{m}-model-latency", $"{M} model", method, EvalPolicy.Model, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
                plan.Add(new(new($"{m}-random-latency", $"{M} random policy", method, EvalPolicy.Random, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
                plan.Add(new(new($"{m}-symbolic-latency", $"{M} symbolic solver", method, EvalPolicy.Symbolic, Limit: settings.LatencyLimit), EvalSweeps.Latency));
                if (apr)
                    foreach (var b in settings.SubCallBudgetsOrDefault)
                        plan.Add(new(new($"apr-model-latency-scb{b}", $"APR model, {b} child threads", method, EvalPolicy.Model, SubCallBudget: b, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
                else
                    foreach (var b in settings.TokenBudgetsOrDefault)
                        plan.Add(new(new($"sosp-model-latency-tb{b}", $"SoS+ model, token budget {b}", method, EvalPolicy.Model, TokenBudget: b, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
            }
            if (s.HasFlag(EvalSweeps.Unguided))
                plan.Add(new(new($"{m}-model-unguided", $"{M} model, unguided", method, EvalPolicy.Model, Guided: false, Limit: settings.UnguidedLimit), EvalSweeps.Unguided));
        }
        return plan;
    }
}
