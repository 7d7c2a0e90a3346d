// DataException: bad input data (a file, a line, a field), with the place and the value in the message.
namespace Apr.Data;

/// <summary>Raised for unreadable or invalid data files; the message names the file, the line and the value.</summary>
public sealed class DataException(string message) : Exception(message);
