// Module-level settings: the trace writers stackalloc a line buffer per line, which the runtime
// would otherwise zero on every call.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
