// LineTrie: forced where the allowed lines agree, a choice where they disagree, the completed line
// returned by the token that ends it, illegal tokens refused.
namespace Apr.Tokenization.Tests;

public sealed class LineTrieTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void Lines_sharing_a_prefix_branch_where_they_differ_and_the_last_token_completes_one()
    {
        string[] lines = ["Moving to Node #0,1\n", "Moving to Node #0,2\n"];
        var a = Tok.Encode(lines[0]);
        var b = Tok.Encode(lines[1]);
        int split = Enumerable.Range(0, a.Length).First(i => a[i] != b[i]);
        var trie = new LineTrie(Tok);
        trie.Start(lines);
        var next = new List<int>();
        for (int k = 0; k < a.Length; k++)
        {
            trie.NextTokens(next);
            Assert.Equal(k == split ? 2 : 1, next.Count);
            if (k == split) Assert.Equal(new[] { a[k], b[k] }.Order(), next);
            var done = trie.Take(b[k]);
            Assert.Equal(k == b.Length - 1 ? lines[1] : null, done);
        }
        Assert.False(trie.IsOpen);
    }

    [Fact]
    public void A_token_no_line_allows_is_refused()
    {
        var trie = new LineTrie(Tok);
        trie.Start(["No solution found.\n"]);
        int wrong = Tok.Encode("Moving to Node #")[0];
        Assert.False(trie.Allows(wrong));
        Assert.Throws<InvalidOperationException>(() => trie.Take(wrong));
        Assert.Throws<InvalidOperationException>(() => trie.Start([]));
    }
}
