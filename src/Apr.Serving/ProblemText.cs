// ProblemText: reads the Countdown problem a chat message names, in either form the server documents:
// text ("Reach 27 from 22, 26, 31, 53"; also "make"/"get"/"target", and "with"/"using") or a JSON object
// {"target":27,"nums":[22,26,31,53]}. The problem must be one apr supports (ProblemLimits: 2..6 numbers,
// each 0..1,000,000, target at least 1); anything else is a 400 that says what was expected.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apr.Countdown;

namespace Apr.Serving;

public static partial class ProblemText
{
    public const string Expected = "a Countdown problem, as 'Reach 27 from 22, 26, 31, 53' or {\"target\":27,\"nums\":[22,26,31,53]}";

    /// <summary>The problem <paramref name="text"/> names; an ApiError (400, param "messages") otherwise.</summary>
    public static CountdownProblem Parse(string text, string id = "chat")
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        long target;
        List<long> nums;
        if (text.StartsWith('{'))
        {
            JsonObject o;
            try { o = JsonNode.Parse(text, documentOptions: Core.Json.Strict) as JsonObject ?? throw Bad("the message's JSON is not an object"); }
            catch (JsonException) { throw Bad("the message starts with '{' but is not valid JSON"); }
            target = Number(o["target"], "target");
            nums = o["nums"] is JsonArray a ? [.. a.Select((n, i) => Number(n, $"nums[{i}]"))] : throw Bad("'nums' must be an array of integers");
        }
        else
        {
            var m = TextForm().Match(text);
            if (!m.Success) throw Bad($"the message names no problem: '{Short(text)}'");
            target = Number(m.Groups["target"].Value, "the target");
            nums = [.. NumberToken().Matches(m.Groups["nums"].Value).Select(x => Number(x.Value, "a number"))];
        }
        if (ProblemLimits.Check(target, nums) is { } why) throw Bad(why);
        return new CountdownProblem(id, target, nums);
    }

    private static long Number(JsonNode? node, string what)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue<long>(out var x)) return x;
            throw Bad($"{what} must be an integer no larger than {long.MaxValue:N0}, got {Short(v.ToJsonString())}");
        }
        throw Bad($"{what} must be an integer, got {Short(node?.ToJsonString() ?? "nothing")}");
    }

    private static long Number(string digits, string what) =>
        long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x) ? x
            : throw Bad($"{what} {Short(digits)} is too large: numbers are 0 to {ProblemLimits.MaxNumber:N0}");

    private static ApiError Bad(string why) => ApiError.BadRequest($"expected {Expected}: {why}", "messages", "invalid_problem");

    private static string Short(string s) => s.Length > 60 ? s[..60] + "..." : s;

    [GeneratedRegex(@"^\W*(?:reach|make|get|target)\s*:?\s*(?<target>-?\d+)\s*,?\s*(?:from|with|using|nums|numbers)\s*:?\s*(?<nums>[-\d\s,\[\]]*?)\s*[.!?]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TextForm();

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex NumberToken();
}
