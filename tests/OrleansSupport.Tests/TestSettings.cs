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
}
