using System.Text.RegularExpressions;

namespace OrleansSupport.Tests;

/// <summary>
/// Twenty classic stored-XSS payloads. Each would, if a page ever rendered it as HTML or evaluated it,
/// set the canary <c>window.__xss</c>, open a dialog, create an element or an attribute no page has, or
/// at least change the text shown. Every one is at most 80 characters (an operator's display name, and
/// the longest canned reply a chat panel shows uncut), on one line and without surrounding spaces, so
/// every field takes it as it is.
/// </summary>
public static partial class XssPayloads
{
    public const int MaxLength = 80;

    public static readonly IReadOnlyList<string> All =
    [
        "<script>window.__xss=1</script>",
        "<img src=x onerror=\"window.__xss=2\">",
        "<svg onload=window.__xss=3>",
        "<a href=\"javascript:alert(4)\">track my parcel</a>",
        "<iframe srcdoc=\"<script>parent.__xss=5</script>\"></iframe>",
        "\"><img src=x onerror=window.__xss=6>",
        "' autofocus onfocus='window.__xss=7",
        "\" onmouseover=\"window.__xss=8\" x=\"",
        "`${window.__xss=9}` ${alert(9)}",
        "{{constructor.constructor('window.__xss=10')()}}",
        "</textarea><img src=x onerror=window.__xss=11>",
        "</title><script>window.__xss=12</script>",
        "&lt;img src=x onerror=window.__xss=13&gt; &#60;b&#62;bold&#60;/b&#62;",
        "\\u003cimg src=x onerror=window.__xss=14\\u003e \\x3cb\\x3e",
        "<a href=\"data:text/html,<script>alert(15)</script>\">x</a>",
        "<p style=\"width:expression(alert(16));background:url(javascript:alert(16))\">",
        "[click me](javascript:window.__xss=17) ![x](x \"onerror=alert(17)\")",
        "<details open ontoggle=window.__xss=18>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=19>",
        "<object data=\"javascript:alert(20)\"></object><embed src=\"data:,20\">",
    ];

    /// <summary>
    /// The payload made into an address the e-mail form accepts (no spaces, one '@', a dot in the domain):
    /// spaces become '/', which HTML parsers also take as an attribute separator.
    /// </summary>
    public static string AsEmailAddress(string payload) =>
        Whitespace().Replace(payload, "/").Replace("@", "", StringComparison.Ordinal) + "@example.com";

    /// <summary>True when rendering the payload as HTML would create elements or change its text.</summary>
    public static bool IsMarkup(string payload) => payload.Contains('<') || payload.Contains('&');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
