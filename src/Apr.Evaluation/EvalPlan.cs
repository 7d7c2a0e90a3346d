// EvalPlan: the conditions a set of EvalSettings asks for, each tagged with the sweeps that plot it.
// Baselines come with every model condition family: the no-model line policies (same grammar, runtime and
// budget) and the symbolic solver that wrote the demonstrations. Which sweep needs what:
//   greedy   model, uniform, symbolic per method (all problems)
//   context  + APR greedy with each Sub Call Budget (SweepLimit problems); curves of every greedy condition
//   tokens   SoS+ n samples (cons@k, pass@k) and APR per Sub Call Budget at the sweep temperature, with the
//            uniform policy sampled alike (SweepLimit problems)
//   latency  model greedy one problem at a time: APR per Sub Call Budget, SoS+ per Token Budget, and the
//            uniform policy alike; the symbolic solver on the same problems (sequential tokens only) (LatencyLimit)
//   unguided model greedy without the grammar (UnguidedLimit)
//   budget   every policy under total-token caps (all problems): the no-model line policies (uniform,
//            random, enumerate) and a model not trained on budgets run once under the largest cap and are
//            read at each cap afterwards (they do not read their budget, so a run capped at B solves exactly
//            the problems the largest-cap run solves within B tokens: a test checks it); a budget-aware
//            model runs once per cap, told the cap; the symbolic solver is read at each cap with every
//            thread held to the context, and so are the width-capped symbolic APR trees (SymbolicTree: the
//            strongest no-learning policies found at 4-6 numbers), and with `--ranker` the same trees ranked
//            by a learned classifier (EvalPolicy.Ranked); SoS+ also n samples at the sweep temperature (cons@k at
//            matched mean total tokens).
using System.Globalization;
using Apr.Inference;
using Apr.Protocol;
using Apr.Search;

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
            string m = method.WireName(), M = method.Label();
            bool apr = method == SearchMethod.Apr;
            if (s.HasFlag(EvalSweeps.Greedy) || s.HasFlag(EvalSweeps.Context))
            {
                var sweeps = s & (EvalSweeps.Greedy | EvalSweeps.Context);
                plan.Add(new(new($"{m}-model", $"{M} model", method, EvalPolicy.Model), sweeps));
                plan.Add(new(new($"{m}-uniform", $"{M} uniform policy", method, EvalPolicy.Uniform), sweeps));
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
                    plan.Add(new(new($"apr-uniform-n{settings.Samples}", $"APR uniform policy", method, EvalPolicy.Uniform, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                }
                else
                {
                    plan.Add(new(new($"sosp-model-t{T}-n{settings.Samples}", $"SoS+ model, T={T}", method, EvalPolicy.Model, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                    plan.Add(new(new($"sosp-uniform-n{settings.Samples}", $"SoS+ uniform policy", method, EvalPolicy.Uniform, Temperature: settings.Temperature, Samples: settings.Samples, Limit: settings.SweepLimit), EvalSweeps.Tokens));
                }
            }
            if (s.HasFlag(EvalSweeps.Latency))
            {
                plan.Add(new(new($"{m}-model-latency", $"{M} model", method, EvalPolicy.Model, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
                plan.Add(new(new($"{m}-uniform-latency", $"{M} uniform policy", method, EvalPolicy.Uniform, OneAtATime: true, Limit: settings.LatencyLimit), EvalSweeps.Latency));
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
            if (s.HasFlag(EvalSweeps.Budget)) AddBudget(plan, settings, method, m, M, T);
        }
        return plan;
    }

    private static void AddBudget(List<PlannedCondition> plan, EvalSettings settings, SearchMethod method, string m, string M, string T)
    {
        long max = settings.BudgetsOrDefault.Max();
        void Add(EvalCondition c)
        {
            int at = plan.FindIndex(p => p.Condition == c);
            if (at >= 0) plan[at] = plan[at] with { Sweeps = plan[at].Sweeps | EvalSweeps.Budget };
            else plan.Add(new(c, EvalSweeps.Budget));
        }
        Add(new($"{m}-symbolic", $"{M} symbolic solver", method, EvalPolicy.Symbolic));
        if (method == SearchMethod.Apr)
            foreach (var tree in settings.SymbolicTreesOrDefault)
                Add(new($"apr-symbolic-{tree.Name}", tree.Label, method, EvalPolicy.Symbolic, Tree: tree));
        // With --exact-upto each tree also runs with the check: as a no-learning policy, and (with --ranker) ranked.
        IReadOnlyList<SymbolicTree> checkedTrees = settings.ExactUpTo > 0 ? [.. settings.SymbolicTreesOrDefault.Select(t => t with { ExactUpTo = settings.ExactUpTo })] : [];
        if (method == SearchMethod.Apr)
            foreach (var tree in checkedTrees)
                Add(new($"apr-symbolic-{tree.Name}", tree.Label, method, EvalPolicy.Symbolic, Tree: tree));
        if (method == SearchMethod.Apr && settings.Ranked)
            foreach (var tree in settings.SymbolicTreesOrDefault.Concat(checkedTrees))
                Add(new($"apr-ranked-{tree.Name}", $"{tree.Label}, learned ranking", method, EvalPolicy.Ranked, Tree: tree));
        Add(new($"{m}-enumerate-b{max}", $"{M} enumerate (no parameters)", method, EvalPolicy.Enumerate, Budget: max));
        Add(new($"{m}-random-b{max}", $"{M} random, never gives up", method, EvalPolicy.Random, Budget: max));
        Add(new($"{m}-uniform-b{max}", $"{M} uniform (floor)", method, EvalPolicy.Uniform, Budget: max));
        var told = method == SearchMethod.Apr ? settings.AprBudgetBins is not null : settings.SospBudgetBin is not null;
        if (!told) Add(new($"{m}-model-b{max}", $"{M} model", method, EvalPolicy.Model, Budget: max));
        else
            foreach (var b in settings.BudgetsOrDefault)
                Add(new($"{m}-model-told-b{b}", $"{M} model, told its budget", method, EvalPolicy.Model, TokenBudget: BudgetPrefix.For(b, method, new ModelConditioning(settings.AprBudgetBins, settings.SospBudgetBin, settings.AprBudgetUnit)), Budget: b,
                    TellChildren: method == SearchMethod.Apr && settings.AprBudgetChildren));
        if (method == SearchMethod.SosPlus && settings.Samples > 1)
            Add(new($"sosp-model-t{T}-n{settings.Samples}-b{max}", $"SoS+ model, T={T}, cons@k", method, EvalPolicy.Model, Temperature: settings.Temperature, Samples: settings.Samples, Budget: max));
    }
}
