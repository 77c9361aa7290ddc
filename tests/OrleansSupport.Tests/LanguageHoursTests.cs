namespace OrleansSupport.Tests;

public sealed class LanguageHoursTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static LanguageOptions ProductSettings()
    {
        var options = new LanguageOptions
        {
            Languages =
            [
                new SupportLanguage { Code = "en", Name = "English", AlwaysOpen = true },
                new SupportLanguage { Code = "ru", Name = "Русский", TimeZone = "Europe/Moscow", Opens = "06:00", Closes = "24:00", Fallback = "en" },
            ],
        };
        Assert.Empty(options.Validate());
        return options;
    }

    private static DateTimeOffset MoscowTime(int hour, int minute, int second) =>
        new(2026, 11, 25, hour, minute, second, Moscow);

    [Theory]
    [InlineData(5, 59, 59, false)]
    [InlineData(6, 0, 0, true)]
    [InlineData(12, 0, 0, true)]
    [InlineData(23, 59, 59, true)]
    [InlineData(0, 0, 0, false)]
    [InlineData(3, 0, 0, false)]
    public void Russian_is_open_from_six_until_midnight_Moscow_time(int hour, int minute, int second, bool open)
    {
        var russian = ProductSettings().Find("ru")!;

        Assert.Equal(open, russian.IsOpenAt(MoscowTime(hour, minute, second)));
        // The same instant seen from another offset is the same answer: the zone decides, not the caller.
        Assert.Equal(open, russian.IsOpenAt(MoscowTime(hour, minute, second).ToUniversalTime()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(23)]
    public void English_serves_every_country_around_the_clock(int hour)
    {
        Assert.True(ProductSettings().Find("en")!.IsOpenAt(MoscowTime(hour, 30, 0)));
    }

    [Fact]
    public void Spanish_in_Madrid_follows_its_own_zone_including_summer_time()
    {
        var spanish = new SupportLanguage { Code = "es", Name = "Español", TimeZone = "Europe/Madrid", Opens = "08:00", Closes = "20:00" };
        Assert.Empty(spanish.Validate());

        // 08:00 in Madrid is 07:00 UTC in winter and 06:00 UTC in summer.
        Assert.True(spanish.IsOpenAt(new DateTimeOffset(2026, 1, 15, 7, 0, 0, TimeSpan.Zero)));
        Assert.False(spanish.IsOpenAt(new DateTimeOffset(2026, 1, 15, 6, 59, 59, TimeSpan.Zero)));
        Assert.True(spanish.IsOpenAt(new DateTimeOffset(2026, 7, 15, 6, 0, 0, TimeSpan.Zero)));
        Assert.False(spanish.IsOpenAt(new DateTimeOffset(2026, 7, 15, 18, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Hours_may_run_over_midnight()
    {
        var night = new SupportLanguage { Code = "xx", Name = "Night", TimeZone = "UTC", Opens = "22:00", Closes = "06:00" };
        Assert.Empty(night.Validate());

        Assert.True(night.IsOpenAt(new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(night.IsOpenAt(new DateTimeOffset(2026, 1, 1, 5, 59, 59, TimeSpan.Zero)));
        Assert.False(night.IsOpenAt(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero)));
        Assert.False(night.IsOpenAt(new DateTimeOffset(2026, 1, 1, 21, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void Broken_settings_are_refused_with_every_problem_named()
    {
        var options = new LanguageOptions
        {
            Languages =
            [
                new SupportLanguage { Code = "en", Name = "English", AlwaysOpen = true },
                new SupportLanguage { Code = "ru", Name = "Русский", TimeZone = "Mars/Olympus", Opens = "6 am", Closes = "25:00", Fallback = "de" },
                new SupportLanguage { Code = "en", Name = "Again", AlwaysOpen = true },
                new SupportLanguage { Code = "EN!", Name = "", AlwaysOpen = true },
            ],
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("unknown time zone 'Mars/Olympus'"));
        Assert.Contains(problems, p => p.Contains("Opens '6 am'"));
        Assert.Contains(problems, p => p.Contains("Closes '25:00'"));
        Assert.Contains(problems, p => p.Contains("fallback 'de'"));
        Assert.Contains(problems, p => p.Contains("'en' is listed twice"));
        Assert.Contains(problems, p => p.Contains("'EN!'"));
        Assert.Contains(problems, p => p.Contains("needs a Name"));
    }

    [Fact]
    public void Unknown_languages_are_refused_clearly()
    {
        var error = Assert.Throws<SupportException>(() => ProductSettings().EnsureKnown("xx"));
        Assert.Equal("unknown-language", error.Code);
        Assert.Contains("en, ru", error.Message);
    }
}
