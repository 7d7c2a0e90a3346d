// AnswerExpression: a solution path (53-26=27, ...) written as one expression over the starting numbers,
// "(53 - 26) * (31 - 22)", for people to read (`apr solve`, the server's chat answer). It does not verify:
// an operation that names a number not in the pool leaves the operations as they were written.
using System.Globalization;

namespace Apr.Countdown;

public static class AnswerExpression
{
    /// <summary>The operations as one expression over the starting numbers, e.g. "(53 - 26) * (31 - 22)".</summary>
    public static string Of(CountdownProblem problem, IReadOnlyList<Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(operations);
        var pool = problem.Nums.Select(v => (Value: v, Text: v.ToString(CultureInfo.InvariantCulture))).ToList();
        foreach (var op in operations)
        {
            int a = pool.FindIndex(p => p.Value == op.Left);
            if (a < 0) return string.Join(", ", operations);
            var left = pool[a];
            pool.RemoveAt(a);
            int b = pool.FindIndex(p => p.Value == op.Right);
            if (b < 0) return string.Join(", ", operations);
            var right = pool[b];
            pool.RemoveAt(b);
            pool.Add((op.Result, $"({left.Text} {op.Symbol} {right.Text})"));
        }
        var final = pool.Count == 1 ? pool[0].Text : string.Join(", ", pool.Select(p => p.Text));
        return final.StartsWith('(') && final.EndsWith(')') ? final[1..^1] : final;
    }
}
