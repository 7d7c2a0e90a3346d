// SolveMethod and ChoicePolicy: which trace language the root speaks and who makes the choices.
namespace Apr.Inference;

public enum SolveMethod
{
    /// <summary>Adaptive parallel reasoning: the root may spawn child threads.</summary>
    Apr,
    /// <summary>Serialized search (SoS+): one thread, dives instead of spawns.</summary>
    SosPlus,
}
