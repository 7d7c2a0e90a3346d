// TokenizerJson: the tokenizer's vocabulary file, so a checkpoint carries the tokenizer it was trained
// with. Format (version 1), snake_case, human-readable:
//   { "format": "apr-trace-tokenizer", "format_version": 1, "vocab_size": 1300,
//     "special_ids": { "pad": 0, "bos": 1, "eos": 2 },
//     "byte_ids": { "first": 3, "count": 256 }, "number_ids": { "first": 259, "count": 1000 },
//     "phrase_ids": { "first": 1259, "count": 41 }, "tokens": [ every TokenText, in id order ] }
// Only the number count and the phrases are free; everything else is checked against the layout that
// follows from them, and any mismatch is a FormatException that names the field and the values.
//
// It does not migrate other versions (there are none yet) and does not touch files; callers read and
// write the text.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Apr.Tokenization;

internal static class TokenizerJson
{
    public const string FormatName = "apr-trace-tokenizer";
    public const int FormatVersion = 1;

    public static string Write(TraceTokenizer tokenizer)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("format_version", FormatVersion);
            w.WriteNumber("vocab_size", tokenizer.VocabSize);
            w.WriteStartObject("special_ids");
            w.WriteNumber("pad", tokenizer.Pad);
            w.WriteNumber("bos", tokenizer.Bos);
            w.WriteNumber("eos", tokenizer.Eos);
            w.WriteEndObject();
            WriteRange(w, "byte_ids", TraceTokenizer.ByteFirst, TraceTokenizer.ByteCount);
            WriteRange(w, "number_ids", TraceTokenizer.NumberFirst, tokenizer.NumberCount);
            WriteRange(w, "phrase_ids", tokenizer.PhraseFirst, tokenizer.Phrases.Count);
            w.WriteStartArray("tokens");
            for (var id = 0; id < tokenizer.VocabSize; id++) w.WriteStringValue(tokenizer.TokenText(id));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static TraceTokenizer Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"tokenizer JSON does not parse: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad($"the root is {root.ValueKind}, expected an object");
            var format = Property(root, "format");
            if (format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
                throw Bad($"\"format\" is {format.GetRawText()}, expected \"{FormatName}\"");
            var version = Int(root, "format_version");
            if (version != FormatVersion) throw Bad($"\"format_version\" is {version}; this build reads version {FormatVersion}");

            var special = Property(root, "special_ids");
            Expect(Int(special, "pad", "special_ids."), 0, "special_ids.pad");
            Expect(Int(special, "bos", "special_ids."), 1, "special_ids.bos");
            Expect(Int(special, "eos", "special_ids."), 2, "special_ids.eos");
            var (byteFirst, byteCount) = Range(root, "byte_ids");
            Expect(byteFirst, TraceTokenizer.ByteFirst, "byte_ids.first");
            Expect(byteCount, TraceTokenizer.ByteCount, "byte_ids.count");
            var (numberFirst, numberCount) = Range(root, "number_ids");
            Expect(numberFirst, TraceTokenizer.NumberFirst, "number_ids.first");
            if (numberCount < TraceTokenizer.MinNumberCount || numberCount > TraceTokenizer.MaxNumberCount)
                throw Bad($"number_ids.count is {numberCount}, expected {TraceTokenizer.MinNumberCount}..{TraceTokenizer.MaxNumberCount}");
            var (phraseFirst, phraseCount) = Range(root, "phrase_ids");
            Expect(phraseFirst, numberFirst + numberCount, "phrase_ids.first");
            var vocabSize = Int(root, "vocab_size");
            Expect(vocabSize, phraseFirst + phraseCount, "vocab_size (phrase_ids.first + phrase_ids.count)");

            var tokens = Property(root, "tokens");
            if (tokens.ValueKind != JsonValueKind.Array) throw Bad($"\"tokens\" is {tokens.ValueKind}, expected an array");
            Expect(tokens.GetArrayLength(), vocabSize, "the length of \"tokens\" (vocab_size)");
            var texts = new string[vocabSize];
            var index = 0;
            foreach (var token in tokens.EnumerateArray())
            {
                if (token.ValueKind != JsonValueKind.String) throw Bad($"tokens[{index}] is {token.ValueKind}, expected a string");
                texts[index++] = token.GetString()!;
            }

            TraceTokenizer tokenizer;
            try
            {
                tokenizer = TraceTokenizer.Create(texts[phraseFirst..], numberCount);
            }
            catch (ArgumentException e)
            {
                throw Bad($"bad phrase list: {e.Message}");
            }
            for (var id = 0; id < phraseFirst; id++)
                if (texts[id] != tokenizer.ExpectedText(id))
                    throw Bad($"tokens[{id}] is {JsonSerializer.Serialize(texts[id])}, expected {JsonSerializer.Serialize(tokenizer.ExpectedText(id))}");
            return tokenizer;
        }
    }

    private static void WriteRange(Utf8JsonWriter w, string name, int first, int count)
    {
        w.WriteStartObject(name);
        w.WriteNumber("first", first);
        w.WriteNumber("count", count);
        w.WriteEndObject();
    }

    private static (int First, int Count) Range(JsonElement root, string name)
    {
        var range = Property(root, name);
        return (Int(range, "first", name + "."), Int(range, "count", name + "."));
    }

    private static JsonElement Property(JsonElement obj, string name, string path = "")
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Bad($"\"{path.TrimEnd('.')}\" is {obj.ValueKind}, expected an object");
        if (!obj.TryGetProperty(name, out var value)) throw Bad($"missing \"{path}{name}\"");
        return value;
    }

    private static int Int(JsonElement obj, string name, string path = "")
    {
        var value = Property(obj, name, path);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n))
            throw Bad($"\"{path}{name}\" is {value.GetRawText()}, expected an integer");
        return n;
    }

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected) throw Bad($"{what} is {actual}, expected {expected}");
    }

    private static FormatException Bad(string message) => new($"tokenizer JSON: {message}");
}
