// Scalars for TorchSharp ops, alive for the whole process. TorchSharp's Scalar has a finalizer, and an op handed a
// temporary one (`a + b` is a.add(b, 1), `x.add_(eps)` makes two) passes its handle into libtorch with nothing keeping
// the Scalar reachable: a garbage collection on another thread during the call may finalize it, and libtorch then reads
// freed memory ("Expected false to be true ... toFloat at c10/core/Scalar.h", which ended a 5-number eval; a reused
// block could as well give a wrong number silently). Ops on the hot paths (the model's and the value's forwards, the
// optimizer's update) take these, or a Scalar a field or a `using` local holds until the call returns.
// FinalizerRaceTests run the forwards while another thread collects without pause.
using TorchSharp;

namespace Apr.Model;

public static class Scalars
{
    /// <summary>1, the alpha of a plain add: <c>a.add(b, Scalars.One)</c> instead of <c>a + b</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
