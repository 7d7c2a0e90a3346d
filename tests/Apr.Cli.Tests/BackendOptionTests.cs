// `--backend` from the command line: a value that is not an http(s) URL is a usage error naming it, and a
// server that is not there fails the problem (exit code 1, the record says backend_error with the server),
// with the `backend:` summary line on stderr; nothing hangs.
using System.Net;
using System.Net.Sockets;
using Apr.Testing;

namespace Apr.Cli.Tests;

[Slow]
public sealed class BackendOptionTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:8000", "--backend: 'ftp://127.0.0.1:8000' is not an http(s) URL such as http://127.0.0.1:8000")]
    [InlineData("localhost", "--backend: 'localhost' is not an http(s) URL such as http://127.0.0.1:8000")]
    public void A_backend_that_is_not_a_url_is_a_usage_error_naming_it(string value, string expected)
    {
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--backend", value);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"apr: error: {expected}", Assert.Single(run.ErrLines));
    }

    [Fact]
    public void A_server_that_is_not_there_fails_the_problem_with_the_error_and_the_summary_counts_it()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--json", "--backend", $"http://127.0.0.1:{port}");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"outcome\":\"backend_error\"", run.Out);
        Assert.Contains($"http://127.0.0.1:{port}/", run.Out);
        Assert.Contains(run.ErrLines, l => l.StartsWith($"backend: the server http://127.0.0.1:{port}/: ", StringComparison.Ordinal) && l.Contains("1 problem(s) failed on the backend", StringComparison.Ordinal));
    }
}
