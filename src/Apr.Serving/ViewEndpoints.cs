// ViewEndpoints: the live thread view `apr serve` answers in a browser: GET / (the page), GET /view/NAME
// (its CSS and scripts, embedded in Apr.Viewing: no file on disk, nothing from the network) and
// GET /view/problem?seed=N (a solvable problem of the paper's distribution, for the page's "random
// problem" button; the same seed gives the same problem). The page solves through /v1/chat/completions
// with stream and "apr_view"; there is no second solving path.
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Viewing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Apr.Serving;

internal static class ViewEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Asset("live.html"));
        app.MapGet("/view/problem", (HttpContext ctx) => Problem(ctx.Request.Query["seed"].ToString()));
        app.MapGet("/view/{name}", (string name) => ViewAssets.Served.ContainsKey(name) ? Asset(name)
            : throw new ApiError(404, $"no view file '{name}': the view has {string.Join(", ", ViewAssets.Served.Keys)}", null, "not_found"));
    }

    private static IResult Asset(string name) => Results.Text(ViewAssets.Text(name), ViewAssets.Served[name]);

    private static IResult Problem(string seedText)
    {
        ulong seed = 0;
        if (seedText.Length > 0 && !ulong.TryParse(seedText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seed))
            throw ApiError.BadRequest($"'seed' must be a non-negative integer, got '{(seedText.Length > 40 ? seedText[..40] + "..." : seedText)}'", "seed");
        var p = new ProblemGenerator(ProblemDistribution.Paper).Generate(1, seed, "view")[0];
        return Results.Json(new JsonObject { ["target"] = p.Target, ["nums"] = new JsonArray([.. p.Nums.Select(n => (JsonNode)n)]), ["seed"] = seed });
    }
}
