namespace Apr.Protocol.Tests;

public sealed class TraceAnswerTests
{
    [Fact]
    public void The_text_answer_agrees_with_the_validated_answer_on_every_sample()
    {
        foreach (var s in ReferenceSamples.Sos.Concat(ReferenceSamples.Apr))
        {
            var r = TraceValidator.Validate(s.Tree);
            var root = s.Tree.Calls.Last(c => c.Thread == "0");
            var fromText = TraceAnswer.FromText(root.Text);
            Assert.Equal(r.Answer?.Select(o => o.ToString()), fromText?.Select(o => o.ToString()));
        }
    }
}
