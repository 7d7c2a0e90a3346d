// ProtocolException: a typed, descriptive error for text that breaks the spawn/join protocol.
namespace Apr.Protocol;

/// <summary>What kind of protocol violation was found.</summary>
public enum ProtocolErrorKind
{
    NoSpawnBlock,
    UnclosedSpawnBlock,
    EmptySpawnBlock,
    MalformedLine,
    UnknownNode,
    NodeAlreadyExplored,
    DuplicateChild,
    WrongChildIndex,
    WrongLevel,
    ForbiddenJoinBlock,
    NumberOverflow,
    BadArithmetic,
    BadState,
    BadRecap,
    TextAfterEnd,
    TooManyChildren,
    Other,
}

/// <summary>Raised by the protocol library for malformed model or trace text; the message names the line and the value.</summary>
public sealed class ProtocolException(ProtocolErrorKind kind, string message) : Exception(message)
{
    public ProtocolErrorKind Kind { get; } = kind;
}
