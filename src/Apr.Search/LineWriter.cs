// LineWriter: formats one trace line into a stack buffer and appends it to a StringBuilder in one
// call, instead of one StringBuilder call per fragment. Numbers below 100 (most of them) are written
// directly, larger ones with long.TryFormat (invariant culture). Used by TraceText only; byte-identical output is tested there.
using System.Text;
using Apr.Countdown;

namespace Apr.Search;

internal ref struct LineWriter
{
    private readonly Span<char> _buf;
    private int _pos;

    public LineWriter(Span<char> buffer)
    {
        _buf = buffer;
        _pos = 0;
    }

    public void Text(string s)
    {
        s.AsSpan().CopyTo(_buf[_pos..]);
        _pos += s.Length;
    }

    public void Char(char c) => _buf[_pos++] = c;

    public void Number(long v)
    {
        if ((ulong)v < 10)
        {
            _buf[_pos++] = (char)('0' + v);
            return;
        }
        if ((ulong)v < 100)
        {
            var q = (int)v / 10;
            _buf[_pos] = (char)('0' + q);
            _buf[_pos + 1] = (char)('0' + ((int)v - q * 10));
            _pos += 2;
            return;
        }
        v.TryFormat(_buf[_pos..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _pos += written;
    }

    public void List(ReadOnlySpan<long> nums)
    {
        _buf[_pos++] = '[';
        for (var i = 0; i < nums.Length; i++)
        {
            if (i > 0)
            {
                _buf[_pos++] = ',';
                _buf[_pos++] = ' ';
            }
            Number(nums[i]);
        }
        _buf[_pos++] = ']';
    }

    public void Op(in Operation op)
    {
        Number(op.Left);
        _buf[_pos++] = op.Symbol;
        Number(op.Right);
        _buf[_pos++] = '=';
        Number(op.Result);
    }

    public void Id(NodeArena a, int node)
    {
        var p = a.Parent[node];
        if (p < 0)
        {
            _buf[_pos++] = '0';
            return;
        }
        Id(a, p);
        _buf[_pos++] = ',';
        Number(a.K[node]);
    }

    public readonly void AppendTo(StringBuilder sb) => sb.Append(_buf[.._pos]);
}
