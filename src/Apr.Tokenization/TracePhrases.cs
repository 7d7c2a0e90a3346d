// TracePhrases: the fixed phrases of the trace language that the default tokenizer encodes as one token
// each (reference sections 3 and 4; every line form that TraceFormat writes is covered).
//
// The list was derived from the reference traces (every line with its numbers and node ids blanked out)
// and tuned by measurement: ", " / ":[" / ": " and the "#0," node-id prefixes raised characters per token
// from 4.1 to 4.8 on SoS+ and from 3.9 to 4.4 on APR calls. The order here is the token id order, so
// changing it makes a new vocabulary (old checkpoints keep theirs through the saved JSON).
// Rules every phrase obeys (checked by TraceTokenizer): printable ASCII, at least two characters, a
// newline only as the last character, and no digit at either end (so a phrase never cuts a number).
namespace Apr.Tokenization;

internal static class TracePhrases
{
    public static readonly string[] Default =
    [
        // State and expansion lines.
        "Current State: ",
        "], Operations: [",
        "], Operations: ['",
        "], Operations: []\n",
        "', '",
        "']\n",
        "Exploring Operation: ",
        ", Resulting Numbers: [",
        "]\n",
        "Generated Node #",
        "Generated Node #0,",
        "] Operation: ",
        // Verdicts and moves.
        " equal: Goal Reached\n",
        " unequal: No Solution\n",
        "Moving to Node #",
        "Moving to Node #0,",
        "Moving to Node #0\n",
        "No solution found.\n",
        // SoS+ dives.
        "Start Sub Search at level ",
        ": Moving to Node #",
        ": Moving to Node #0,",
        "Exit Sub Search at level ",
        "No solution found in sub search\n",
        // APR spawn block.
        "<Calling Sub Searches>\n",
        "<Start Sub Search ",
        " at level ",
        "> Moving to Node #",
        "> Moving to Node #0,",
        "<End Calling Sub Searches>\n",
        // APR join block.
        "<Sub Searches>\n",
        "<No Solution in Sub Search ",
        "<Goal Reached in Sub Search ",
        " at Node #",
        " at Node #0,",
        ">\n",
        "<End Sub Searches>\n",
        // Conditioning prefixes.
        "Sub Call Budget: ",
        "Token Budget: ",
        // Separators (measured: worth a token each).
        ", ",
        ":[",
        ": ",
    ];
}
