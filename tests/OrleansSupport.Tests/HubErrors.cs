using System.Text.RegularExpressions;

namespace OrleansSupport.Tests;

/// <summary>Reading the "code: text" of a refusal out of what the SignalR client reports.</summary>
public static partial class HubErrors
{
    /// <summary>The refusal's code ("unknown-session"), or null when the error carries none.</summary>
    public static string? CodeOf(HubException error) =>
        CodePattern().Match(error.Message) is { Success: true } match ? match.Groups["code"].Value : null;

    /// <summary>Awaits a hub call: null when it went through, else the refusal's message.</summary>
    public static async Task<string?> RefusalOf(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (HubException ex)
        {
            return ex.Message;
        }
    }

    public static void AssertCode(HubException error, string code, string cell) =>
        Assert.True(CodeOf(error) == code, $"{cell}: expected '{code}', got: {error.Message}");

    // The client may put "An unexpected error occurred invoking 'X' on the server. HubException: " before it.
    [GeneratedRegex(@"(?:^|HubException: )(?<code>[a-z][a-z0-9]*(?:-[a-z0-9]+)*): ")]
    private static partial Regex CodePattern();
}
