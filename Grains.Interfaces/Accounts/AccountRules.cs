using System.Text.RegularExpressions;

namespace OrleansSupport.Accounts;

/// <summary>What an acceptable account looks like; checked by the API and again by the grain.</summary>
public static partial class AccountRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 80;

    /// <summary>User names are case-insensitive: the grain key is the lower-case form.</summary>
    public static string Normalize(string? userName) => (userName ?? "").Trim().ToLowerInvariant();

    public static Dictionary<string, string[]> Validate(string? userName, string? displayName, string? password)
    {
        var problems = new Dictionary<string, string[]>();
        if (!UserNamePattern().IsMatch(Normalize(userName)))
        {
            problems["userName"] = ["3-64 letters, digits, '.', '_' or '-'."];
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > MaxDisplayNameLength)
        {
            problems["displayName"] = [$"1-{MaxDisplayNameLength} characters."];
        }
        else if (displayName.Any(IsHiddenControl))
        {
            problems["displayName"] = ["No line breaks, control characters or text-direction marks."];
        }

        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            problems["password"] = [$"{MinPasswordLength}-{MaxPasswordLength} characters."];
        }

        return problems;
    }

    public static bool IsUserName(string key) => UserNamePattern().IsMatch(key);

    /// <summary>
    /// Controls (NUL, line breaks) and the marks that reverse or isolate text direction: a display name
    /// shows in one line of a console and a chat, and must read as what it is.
    /// </summary>
    private static bool IsHiddenControl(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    [GeneratedRegex("^[a-z0-9._-]{3,64}$")]
    private static partial Regex UserNamePattern();
}
