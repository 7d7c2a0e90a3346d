// ThreadMode: which trace language a thread speaks: SoS+ (dives, no spawns) or APR (spawns, no dives).
namespace Apr.Protocol;

public enum ThreadMode
{
    /// <summary>Serialized search: prompt <c>Current State: ...</c>; may dive with <c>Start Sub Search at level k</c>.</summary>
    SosPlus,
    /// <summary>APR: prompt <c>Moving to Node #id</c> + <c>Current State: ...</c>; may spawn children.</summary>
    Apr,
}
