// TraceLineParser: the inverse of TraceFormat. Parses one line (without or with its trailing "\n")
// into a TraceLine, strictly: only the exact canonical text parses, so Parse(l).Write() == l.
//
// It checks syntax and number ranges only (no arithmetic, no search state): that is the grammar's job.
// The one exception is a verdict whose words contradict its numbers ("5,6 equal"), which has no
// TraceLine representation and is rejected here as BadArithmetic.
using Apr.Countdown;

namespace Apr.Protocol;

public static class TraceLineParser
{
    /// <summary>Parses one line; throws <see cref="ProtocolException"/> (MalformedLine, NumberOverflow, BadArithmetic) quoting it.</summary>
    public static TraceLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.EndsWith('\n') ? line.AsSpan(0, line.Length - 1) : line.AsSpan();
        var c = new Cursor(text, line);
        var result = ParseAny(ref c);
        c.End();
        return result;
    }

    /// <summary>Like <see cref="Parse"/> but returns false with the exception instead of throwing.</summary>
    public static bool TryParse(string line, out TraceLine? result, out ProtocolException? error)
    {
        try { result = Parse(line); error = null; return true; }
        catch (ProtocolException e) { result = null; error = e; return false; }
    }

    private static TraceLine ParseAny(ref Cursor c)
    {
        if (c.Eat("Sub Call Budget: ")) return Conditioned(ref c, ConditionKind.SubCallBudget);
        if (c.Eat("Token Budget: ")) return Conditioned(ref c, ConditionKind.TokenBudget);
        if (c.Eat("Current State: "))
        {
            var target = c.Number();
            c.Expect(":");
            var nums = c.List();
            c.Expect(", Operations: ");
            return new TraceLine.CurrentState(target, nums, c.OperationList());
        }
        if (c.Eat("Exploring Operation: "))
        {
            var op = c.Op();
            c.Expect(", Resulting Numbers: ");
            return new TraceLine.Exploring(op, c.List());
        }
        if (c.Eat("Generated Node #"))
        {
            var id = c.NodeId();
            c.Expect(": ");
            var target = c.Number();
            c.Expect(":");
            var nums = c.List();
            c.Expect(" Operation: ");
            return new TraceLine.GeneratedNode(id, target, nums, c.Op());
        }
        if (c.Eat("Moving to Node #")) return new TraceLine.MovingTo(c.NodeId());
        if (c.Eat("No solution found in sub search")) return new TraceLine.SubSearchFailed();
        if (c.Eat(TraceFormat.NoSolutionFound)) return new TraceLine.NoSolutionFound();
        if (c.Eat("Start Sub Search at level "))
        {
            var level = c.SmallInt();
            c.Expect(": Moving to Node #");
            return new TraceLine.StartSubSearch(level, c.NodeId());
        }
        if (c.Eat("Exit Sub Search at level ")) return new TraceLine.ExitSubSearch(c.SmallInt());
        if (c.Eat(TraceFormat.CallingSubSearches)) return new TraceLine.CallingSubSearches();
        if (c.Eat(TraceFormat.EndCallingSubSearches)) return new TraceLine.EndCallingSubSearches();
        if (c.Eat(TraceFormat.SubSearches)) return new TraceLine.SubSearches();
        if (c.Eat(TraceFormat.EndSubSearches)) return new TraceLine.EndSubSearches();
        if (c.Eat("<Start Sub Search "))
        {
            var index = c.SmallInt();
            c.Expect(" at level ");
            var level = c.SmallInt();
            c.Expect("> Moving to Node #");
            return new TraceLine.SpawnChild(index, level, c.NodeId());
        }
        var solved = c.Eat("<Goal Reached in Sub Search ");
        if (solved || c.Eat("<No Solution in Sub Search "))
        {
            var index = c.SmallInt();
            c.Expect(" at level ");
            var level = c.SmallInt();
            c.Expect(" at Node #");
            var id = c.NodeId();
            c.Expect(">");
            return new TraceLine.JoinChild(solved, index, level, id);
        }
        if (c.StartsWithDigit())
        {
            var value = c.Number();
            c.Expect(",");
            var target = c.Number();
            if (c.Eat(" equal: Goal Reached"))
            {
                if (value != target) throw c.Fail(ProtocolErrorKind.BadArithmetic, $"says {value} equals {target}");
                return new TraceLine.Verdict(value, target);
            }
            c.Expect(" unequal: No Solution");
            if (value == target) throw c.Fail(ProtocolErrorKind.BadArithmetic, $"says {value} is unequal to {target}");
            return new TraceLine.Verdict(value, target);
        }
        throw c.Fail(ProtocolErrorKind.MalformedLine, "is not a line of the trace language");
    }

    private static TraceLine Conditioned(ref Cursor c, ConditionKind kind)
    {
        var value = c.SmallInt();
        c.Expect(" ");
        var inner = ParseAny(ref c);
        if (inner is TraceLine.Conditioned { Kind: var k } && k == kind)
            throw c.Fail(ProtocolErrorKind.MalformedLine, $"repeats the {kind} prefix");
        return new TraceLine.Conditioned(kind, value, inner);
    }

    /// <summary>A strict left-to-right reader over one line.</summary>
    private ref struct Cursor(ReadOnlySpan<char> text, string line)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private readonly string _line = line;
        private int _at;

        public bool Eat(string literal)
        {
            if (!_text[_at..].StartsWith(literal, StringComparison.Ordinal)) return false;
            _at += literal.Length;
            return true;
        }

        public void Expect(string literal)
        {
            if (!Eat(literal)) throw Fail(ProtocolErrorKind.MalformedLine, $"expected '{literal}' at column {_at + 1}");
        }

        public readonly bool StartsWithDigit() => _at < _text.Length && char.IsAsciiDigit(_text[_at]);

        public readonly void End()
        {
            if (_at != _text.Length) throw Fail(ProtocolErrorKind.MalformedLine, $"has unexpected text '{_text[_at..]}' at column {_at + 1}");
        }

        public long Number()
        {
            var start = _at;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
            var digits = _text[start.._at];
            if (digits.IsEmpty) throw Fail(ProtocolErrorKind.MalformedLine, $"expected a number at column {start + 1}");
            if (digits.Length > 1 && digits[0] == '0') throw Fail(ProtocolErrorKind.MalformedLine, $"number '{digits}' has a leading zero");
            if (!Operation.TryParseNumber(digits, out var value, out _))
                throw Fail(ProtocolErrorKind.NumberOverflow, $"number '{digits}' overflows 64 bits");
            return value;
        }

        public int SmallInt()
        {
            var start = _at;
            var v = Number();
            if (v > int.MaxValue) throw Fail(ProtocolErrorKind.NumberOverflow, $"number '{_text[start.._at]}' is too large for a level, index or budget");
            return (int)v;
        }

        public string NodeId()
        {
            var start = _at;
            if (!Eat("0")) throw Fail(ProtocolErrorKind.MalformedLine, $"node id at column {start + 1} does not start with '0'");
            while (_at < _text.Length && _text[_at] == ',' && _at + 1 < _text.Length && char.IsAsciiDigit(_text[_at + 1]))
            {
                _at++;
                SmallInt();
            }
            return _text[start.._at].ToString();
        }

        public Operation Op()
        {
            var left = Number();
            if (_at >= _text.Length || "+-*/".IndexOf(_text[_at]) < 0)
                throw Fail(ProtocolErrorKind.MalformedLine, $"expected an operator at column {_at + 1}");
            var symbol = _text[_at++];
            var right = Number();
            Expect("=");
            return new Operation(left, symbol, right, Number());
        }

        public long[] List()
        {
            Expect("[");
            if (Eat("]")) return [];
            var items = new List<long>(4);
            do items.Add(Number()); while (Eat(", "));
            Expect("]");
            return [.. items];
        }

        public Operation[] OperationList()
        {
            Expect("[");
            if (Eat("]")) return [];
            var items = new List<Operation>(4);
            do
            {
                Expect("'");
                items.Add(Op());
                Expect("'");
            }
            while (Eat(", "));
            Expect("]");
            return [.. items];
        }

        public readonly ProtocolException Fail(ProtocolErrorKind kind, string what) =>
            new(kind, $"line '{_line.TrimEnd('\n')}' {what}");
    }
}
