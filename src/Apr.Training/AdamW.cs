// AdamW (decoupled weight decay) with float32 moments and, for low-precision parameters, float32 master
// weights. Written here rather than using TorchSharp's optimizer so its whole state (moments, masters, step)
// is plain named tensors that the checkpoint stores and restores exactly. No AMSGrad, no per-group settings.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Training;

/// <summary>AdamW over named parameters; decay skips 1-D parameters (norm scales).</summary>
public sealed class AdamW : IDisposable
{
    private readonly (string Name, Parameter Param)[] _params;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly Tensor?[] _master; // float32 copies when training in bfloat16
    private readonly double _beta1, _beta2, _weightDecay;
    // The same as Scalars, held by the optimizer (or a using local for the step's own) so that none is finalized while
    // libtorch reads it (Apr.Model.Scalars says why).
    private readonly Scalar _sBeta1, _sBeta2, _sOneMinusBeta1, _sOneMinusBeta2, _sEps;

    /// <summary>
    /// An optimizer over <paramref name="parameters"/>. With <paramref name="masters"/> (float32 weights by
    /// parameter name, e.g. copied before casting the model to bfloat16), it updates those float32 copies and
    /// writes them back into the low-precision parameters.
    /// </summary>
    public AdamW(IEnumerable<(string Name, Parameter Param)> parameters, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                 double weightDecay = 0.01, IReadOnlyDictionary<string, Tensor>? masters = null)
    {
        _params = parameters.ToArray();
        _m = _params.Select(p => zeros(p.Param.shape, float32)).ToArray();
        _v = _params.Select(p => zeros(p.Param.shape, float32)).ToArray();
        _master = _params.Select(p => masters is null ? null
            : masters.TryGetValue(p.Name, out var m) ? m.detach().to(float32).clone()
            : throw new ArgumentException($"no master weight for {p.Name}")).ToArray();
        (_beta1, _beta2, _weightDecay) = (beta1, beta2, weightDecay);
        (_sBeta1, _sBeta2, _sOneMinusBeta1, _sOneMinusBeta2, _sEps) = (beta1.ToScalar(), beta2.ToScalar(), (1 - beta1).ToScalar(), (1 - beta2).ToScalar(), eps.ToScalar());
    }

    /// <summary>Optimizer steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Applies one update with learning rate <paramref name="lr"/> from the parameters' gradients.</summary>
    public void Step(double lr)
    {
        Steps++;
        double c1 = 1 - Math.Pow(_beta1, Steps), c2 = 1 - Math.Pow(_beta2, Steps);
        using var sC2 = c2.ToScalar();
        using var sDecay = (1 - lr * _weightDecay).ToScalar();
        using var sStep = (-lr / c1).ToScalar();
        using var noGrad = no_grad();
        for (int i = 0; i < _params.Length; i++)
        {
            using var scope = NewDisposeScope();
            var p = _params[i].Param;
            if (p.grad is null) continue;
            var g = p.grad.dtype == ScalarType.Float32 ? p.grad : p.grad.to(float32);
            var w = _master[i] ?? p;
            _m[i].mul_(_sBeta1).add_(g, alpha: _sOneMinusBeta1);
            _v[i].mul_(_sBeta2).addcmul_(g, g, value: _sOneMinusBeta2);
            if (p.dim() > 1 && _weightDecay > 0) w.mul_(sDecay);
            var denom = _v[i].div(sC2).sqrt_().add_(_sEps, Apr.Model.Scalars.One);
            w.addcdiv_(_m[i], denom, value: sStep);
            if (_master[i] is not null) p.copy_(w);
        }
    }

    /// <summary>Clears every gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in _params)
            if (p.grad is not null) p.grad.zero_();
    }

    /// <summary>Global L2 norm of the gradients, scaled down to <paramref name="maxNorm"/> when above it. Returns the norm before clipping.</summary>
    public double ClipGradients(double maxNorm)
    {
        using var scope = NewDisposeScope();
        var grads = _params.Where(p => p.Param.grad is not null).Select(p => { var g = p.Param.grad!.to(float32); return g.mul(g).sum(); }).ToList();
        double norm = Math.Sqrt(stack(grads).sum().item<float>());
        if (norm > maxNorm)
        {
            using var scale = (maxNorm / (norm + 1e-6)).ToScalar();
            foreach (var (_, p) in _params) p.grad?.mul_(scale);
        }
        return norm;
    }

    /// <summary>The float32 weights by parameter name: the masters if kept, else the parameters themselves.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Weights() =>
        _params.Select((p, i) => KeyValuePair.Create(p.Name, _master[i] ?? p.Param));

    /// <summary>The state as named tensors ("exp_avg.NAME", "exp_avg_sq.NAME", "master.NAME") plus the step.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        for (int i = 0; i < _params.Length; i++)
        {
            yield return KeyValuePair.Create("exp_avg." + _params[i].Name, _m[i]);
            yield return KeyValuePair.Create("exp_avg_sq." + _params[i].Name, _v[i]);
            if (_master[i] is { } m) yield return KeyValuePair.Create("master." + _params[i].Name, m);
        }
    }

    /// <summary>
    /// Casts <paramref name="model"/> to bfloat16 and returns float32 copies of its weights taken before the
    /// cast (pass them as <c>masters</c>). TorchSharp replaces the parameter objects on a cast, so create the
    /// optimizer after calling this.
    /// </summary>
    public static Dictionary<string, Tensor> CastToBf16(Apr.Model.LlamaForCausalLm model)
    {
        var copies = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        model.to(bfloat16);
        return copies;
    }

    /// <summary>Restores moments (and masters) saved by <see cref="State"/>, and the step count.</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _params.Length; i++)
        {
            _m[i].copy_(Need(state, "exp_avg." + _params[i].Name));
            _v[i].copy_(Need(state, "exp_avg_sq." + _params[i].Name));
            if (_master[i] is { } m) m.copy_(Need(state, "master." + _params[i].Name));
        }
        Steps = steps;
    }

    private static Tensor Need(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"optimizer state has no tensor {name}");

    public void Dispose()
    {
        foreach (var t in _m) t.Dispose();
        foreach (var t in _v) t.Dispose();
        foreach (var t in _master) t?.Dispose();
        foreach (var s in (Scalar[])[_sBeta1, _sBeta2, _sOneMinusBeta1, _sOneMinusBeta2, _sEps]) s.Dispose();
    }
}
