// ApiError: a request the server refuses, as the OpenAI error object
// {"error":{"message","type","param","code"}} with its HTTP status. Messages are one line and say what was
// expected; they never carry a stack trace. Thrown by the request parsers, written by ServerApp.
using System.Text.Json.Nodes;

namespace Apr.Serving;

public sealed class ApiError(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error") : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;

    /// <summary>Seconds a client should wait before retrying (429), or null.</summary>
    public int? RetryAfter { get; init; }

    public static ApiError BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);

    public JsonObject ToJson() => Body(Message, Type, Param, Code);

    public static JsonObject Body(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };
}
