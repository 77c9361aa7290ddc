using OrleansSupport.Presence;

namespace OrleansSupport.Tests;

/// <summary>The product's own language settings (English 24/7, Russian 06:00-24:00 Moscow time).</summary>
public static class TestSettings
{
    public static readonly Dictionary<string, string> Languages = new()
    {
        ["Support:Languages:0:Code"] = "en",
        ["Support:Languages:0:Name"] = "English",
        ["Support:Languages:0:AlwaysOpen"] = "true",
        ["Support:Languages:1:Code"] = "ru",
        ["Support:Languages:1:Name"] = "Русский",
        ["Support:Languages:1:TimeZone"] = "Europe/Moscow",
        ["Support:Languages:1:Opens"] = "06:00",
        ["Support:Languages:1:Closes"] = "24:00",
        ["Support:Languages:1:Fallback"] = "en",
    };

    /// <summary>
    /// Limits for the shared test frontends, far above the defaults: the whole suite runs from one loopback
    /// address, browser tests reuse one browser's client cookie, and fuzz tests send thousands of requests.
    /// Tests of the limits themselves start their own frontend with low ones (<see cref="AbuseLimitTests"/>).
    /// </summary>
    public static readonly Dictionary<string, string> GenerousLimits = new()
    {
        ["Support:Limits:SessionsPerClientPerMinute"] = "100000",
        ["Support:Limits:SessionsPerAddressPerMinute"] = "0",
        ["Support:Limits:EmailRequestsPerClientPerHour"] = "100000",
        ["Support:Limits:EmailRequestsPerAddressPerHour"] = "0",
        ["Support:Limits:LoginAttemptsPerUserAndAddressPerHour"] = "100000",
        ["Support:Limits:LoginAttemptsPerUserPerHour"] = "100000",
        ["Support:Limits:LoginAttemptsPerKnownBrowserPerHour"] = "100000",
        ["Support:Limits:LoginAttemptsPerAddressPerHour"] = "0",
        ["Support:Limits:ResumesPerClientPerMinute"] = "100000",
        ["Support:Limits:ResumesPerAddressPerMinute"] = "0",
        ["Support:Limits:FeedbackPerClientPerHour"] = "100000",
        ["Support:Limits:FeedbackPerAddressPerHour"] = "0",
        ["Support:Limits:CustomerCallsPerSecond"] = "0",
        ["Support:Limits:OperatorCallsPerSecond"] = "0",
    };

    /// <summary>
    /// Customer presence for test silos. Customers that tests drive through their grains have no connection on
    /// any frontend, so they always count as gone: by default nobody is passed over or sent away within a test
    /// (an hour each); the tests about customers who leave set short times.
    /// </summary>
    public static CustomerPresenceOptions Presence(int queueGraceSeconds = 3600, int chatGraceSeconds = 3600, int passOverAfterSeconds = 3600) =>
        new() { QueueGraceSeconds = queueGraceSeconds, ChatGraceSeconds = chatGraceSeconds, PassOverAfterSeconds = passOverAfterSeconds };

    /// <summary><paramref name="presence"/> as configuration keys, with <paramref name="separator"/> between sections.</summary>
    public static Dictionary<string, string> PresenceSettings(CustomerPresenceOptions presence, string separator) => new()
    {
        [$"Support{separator}Presence{separator}QueueGraceSeconds"] = presence.QueueGraceSeconds.ToString(),
        [$"Support{separator}Presence{separator}ChatGraceSeconds"] = presence.ChatGraceSeconds.ToString(),
        [$"Support{separator}Presence{separator}PassOverAfterSeconds"] = presence.PassOverAfterSeconds.ToString(),
    };
}
