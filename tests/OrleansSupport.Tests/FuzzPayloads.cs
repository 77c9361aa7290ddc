using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace OrleansSupport.Tests;

/// <summary>
/// Random and malformed payloads from one seeded <see cref="Random"/>, so a failing run can be replayed.
/// Hostile strings deliberately never equal a real language code, question id, e-mail reference or
/// user name of the victim: a payload may be odd, but never a valid request that changes B's world.
/// </summary>
public sealed class FuzzPayloads(Random random, Guid victimSession, Guid ownSession)
{
    /// <summary>Strings that break things: unicode edge cases, near-misses of real ids, injections, huge ones.</summary>
    private static readonly string[] Hostile =
    [
        "", " ", "\t\n", "\0", "a\0b", "\u200b", "\u200b\u200c\u200d\ufeff", "\u202e\u0645\u0631\u062d\u0628\u0627", "\u202egnp.exe",
        "\ud83d\ude00\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67", "e\u0301\u0301\u0301\u0301\u0301", "\uffff", "\ufffd", "Ω≈ç√∫",
        "EN", " en", "en ", "en\0", "RU", "xx", "en-US", "payment.charged-twice\u200b", "PAYMENT.CHARGED-TWICE", "..",
        "../../etc/passwd", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "'; DROP TABLE Storage; --",
        "%00", "%s%s%s%n", "{0}{1}", "${jndi:ldap://x}", "SR-2222222222", "SR-", "sr-0000000000!", "chief", "CHIEF ", "null",
        "undefined", "NaN", "-1", "1e309", "true", "{}", "[]", "00000000-0000-0000-0000-000000000000", "not-a-guid",
        "{11111111-1111-1111-1111-111111111111}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];

    private static readonly object[] Numbers =
    [
        0, -1, 1, 6, 21, 1000, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, -0.0, 1.5, 1e308, -1e308, 4.9e-324, 9007199254740993L,
    ];

    public Random Random => random;

    /// <summary>Arguments for a hub method: mostly its arity with hostile values, sometimes the wrong arity or types.</summary>
    public object?[] ArgsFor(MethodInfo method)
    {
        var parameters = method.GetParameters();
        return random.Next(10) switch
        {
            < 6 => [.. parameters.Select(p => random.Next(4) == 0 ? Any(2) : For(p.ParameterType))],
            < 8 => [.. Enumerable.Range(0, Math.Max(0, parameters.Length + random.Next(-2, 3))).Select(_ => Any(2))],
            _ => [.. parameters.Select(p => For(p.ParameterType)), .. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Any(1))],
        };
    }

    private object? For(Type type) =>
        type == typeof(string) ? String()
        : type == typeof(Guid) ? GuidLike()
        : type == typeof(bool) ? (random.Next(3) == 0 ? Any(1) : random.Next(2) == 0)
        : type == typeof(int) || type == typeof(long) ? Numbers[random.Next(Numbers.Length)]
        : type == typeof(string[]) ? Enumerable.Range(0, random.Next(30)).Select(_ => (object?)(random.Next(8) == 0 ? Any(1) : String())).ToArray()
        : Any(2);

    public string String() => random.Next(12) switch
    {
        0 => Huge(),
        1 => RandomUnicode(random.Next(1, 50)),
        2 => Hostile[random.Next(Hostile.Length)] + Hostile[random.Next(Hostile.Length)],
        _ => Hostile[random.Next(Hostile.Length)],
    };

    /// <summary>Mostly within the hub's 64 KB frame, sometimes over it (that closes only the sender's connection).</summary>
    private string Huge() => new(random.Next(3) == 0 ? '\u0416' : 'x', random.Next(20) == 0 ? 70_000 : random.Next(3_990, 9_000));

    private string RandomUnicode(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            // Whole code points, but any plane, including controls, RTL marks and private use. Lone surrogates
            // cannot travel as JSON text (the client's encoder would replace them), so they come in escaped form below.
            var codePoint = random.Next(4) == 0 ? random.Next(0x20) : random.Next(0x10FFFF);
            text.Append(codePoint is >= 0xD800 and <= 0xDFFF ? "\u2067" : char.ConvertFromUtf32(codePoint));
        }

        return text.ToString();
    }

    private object GuidLike() => random.Next(8) switch
    {
        0 => Guid.Empty,
        1 => victimSession,
        2 => ownSession,
        3 => String(),
        4 => victimSession.ToString("N").ToUpperInvariant() + "0",
        _ => Guid.NewGuid(),
    };

    /// <summary>Any JSON value: nulls, numbers, strings, arrays and objects with extra fields, nested up to <paramref name="depth"/>.</summary>
    public object? Any(int depth) => random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => Numbers[random.Next(Numbers.Length)],
        3 => String(),
        4 => GuidLike(),
        5 => JsonDocument.Parse(Nested(random.Next(2, 120)), new JsonDocumentOptions { MaxDepth = 256 }).RootElement.Clone(),
        6 => Enumerable.Range(0, random.Next(6)).Select(_ => Any(depth - 1)).ToArray(),
        _ => Enumerable.Range(0, random.Next(6)).ToDictionary(i => i == 0 ? "__proto__" : String() + i, _ => Any(depth - 1)),
    };

    private string Nested(int depth) => random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>An HTTP body: JSON of any shape, malformed JSON, lone surrogates, deep nesting, wrong content types.</summary>
    /// <param name="forced">Fields that keep their given value, whatever else the body holds.</param>
    public (HttpContent Content, string Text) Body(string[] fieldNames, Dictionary<string, object?> forced)
    {
        var text = random.Next(10) switch
        {
            < 4 => JsonSerializer.Serialize(Fields(fieldNames, forced), FuzzerChat.DeepJson),
            4 => JsonSerializer.Serialize(Any(3), FuzzerChat.DeepJson),
            5 => Malformed[random.Next(Malformed.Length)],
            6 => Nested(random.Next(60, 2_000)),
            7 => "{\"text\":\"\\ud800\",\"userName\":\"\\udfff\\u0000\",\"email\":\"\\ud83d\"}",
            8 => "",
            _ => RandomUnicode(random.Next(1, 200)),
        };
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = random.Next(5) switch
        {
            0 => null,
            1 => MediaTypeHeaderValue.Parse(ContentTypes[random.Next(ContentTypes.Length)]),
            _ => new MediaTypeHeaderValue("application/json"),
        };
        return (content, text);
    }

    /// <summary>The endpoint's own field names (sometimes misspelt) with values of any type, plus extra fields.</summary>
    private Dictionary<string, object?> Fields(string[] names, Dictionary<string, object?> forced)
    {
        var fields = new Dictionary<string, object?>(forced);
        foreach (var name in names.Where(n => random.Next(4) != 0 && !forced.ContainsKey(n)))
        {
            fields[random.Next(8) == 0 ? name.ToUpperInvariant() : name] = Any(2);
        }

        for (var extra = random.Next(3); extra > 0; extra--)
        {
            fields[String() + extra] = Any(2);
        }

        return fields;
    }

    private static readonly string[] Malformed =
    [
        "{", "}", "[1,2", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "\"unterminated", "nul", "tru", "{\"a\":1,}", "[,]", "{\"a\":NaN}",
        "{\"capacity\":1e999999}", "{\"capacity\":\"7\"}", "{\"alwaysOpen\":\"yes\"}", "{\"role\":\"Admin\"}", "{\"role\":99}",
        "\ufeff{}", "{\"a\":\"\\x41\"}", "<xml/>", "a=1&b=2",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded", "application/json; charset=utf-7",
        "application/octet-stream", "image/png",
    ];

    /// <summary>A hostile route value, URL-encoded so it stays one path segment.</summary>
    public string RouteValue() => Uri.EscapeDataString(random.Next(6) == 0 ? RandomUnicode(5) : String() is { Length: > 0 and < 2_000 } s ? s : "x");

    public string Query(string name) => random.Next(4) == 0 ? "" : $"?{name}={Uri.EscapeDataString(String() is { Length: < 2_000 } s ? s : "x")}";
}
