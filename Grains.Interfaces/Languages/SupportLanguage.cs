using System.Globalization;

namespace OrleansSupport;

/// <summary>
/// One language that has an operator queue, with its opening hours (configuration, e.g.
/// <c>{ "Code": "ru", "TimeZone": "Europe/Moscow", "Opens": "06:00", "Closes": "24:00", "Fallback": "en" }</c>).
/// </summary>
public sealed class SupportLanguage
{
    public string Code { get; set; } = "";

    /// <summary>The language's own name, as shown to customers ("English", "Русский").</summary>
    public string Name { get; set; } = "";

    /// <summary>Open around the clock; <see cref="Opens"/> and <see cref="Closes"/> are then ignored.</summary>
    public bool AlwaysOpen { get; set; }

    /// <summary>IANA time zone id in which the hours are given.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Local opening time, "HH:mm"; the queue is open from this instant on.</summary>
    public string Opens { get; set; } = "00:00";

    /// <summary>Local closing time, "HH:mm" ("24:00" for midnight); closed from this instant on.</summary>
    public string Closes { get; set; } = "24:00";

    /// <summary>The language offered while this one is closed, if any.</summary>
    public string? Fallback { get; set; }

    private TimeZoneInfo? _zone;
    private TimeSpan _opens;
    private TimeSpan _closes;

    /// <summary>Checks the settings and prepares them; returns what is wrong, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"Language '{Code}' needs a Name.";
        }

        if (AlwaysOpen)
        {
            yield break;
        }

        if (!TryParseTime(Opens, out _opens) || _opens >= TimeSpan.FromHours(24))
        {
            yield return $"Language '{Code}': Opens '{Opens}' is not a time of day (HH:mm).";
        }

        if (!TryParseTime(Closes, out _closes))
        {
            yield return $"Language '{Code}': Closes '{Closes}' is not a time of day (HH:mm, or 24:00).";
        }

        if (_opens == _closes || (_opens == TimeSpan.Zero && _closes == TimeSpan.FromHours(24)))
        {
            yield return $"Language '{Code}': for a queue open all day, set AlwaysOpen instead of Opens = Closes.";
        }

        string? zoneError = null;
        try
        {
            _zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zoneError = $"Language '{Code}': unknown time zone '{TimeZone}'.";
        }

        if (zoneError is not null)
        {
            yield return zoneError;
        }
    }

    /// <summary>
    /// Whether the queue takes customers at <paramref name="now"/>: local time in [Opens, Closes); a span
    /// that ends before it starts (e.g. 22:00-06:00) runs over midnight.
    /// </summary>
    public bool IsOpenAt(DateTimeOffset now)
    {
        if (AlwaysOpen)
        {
            return true;
        }

        var zone = _zone ?? throw new InvalidOperationException($"Language '{Code}' was not validated.");
        var local = TimeZoneInfo.ConvertTime(now, zone).TimeOfDay;
        return _opens < _closes
            ? local >= _opens && local < _closes
            : local >= _opens || local < _closes;
    }

    /// <summary>
    /// These settings with other hours (a supervisor's change at run time), checked like configuration;
    /// throws a clear refusal when they are not acceptable.
    /// </summary>
    public SupportLanguage WithHours(LanguageHours hours)
    {
        var changed = new SupportLanguage
        {
            Code = Code, Name = Name, TimeZone = TimeZone, Fallback = Fallback,
            AlwaysOpen = hours.AlwaysOpen, Opens = hours.Opens ?? Opens, Closes = hours.Closes ?? Closes,
        };
        var problems = changed.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new SupportException("bad-hours", string.Join(" ", problems));
        }

        return changed;
    }

    private static bool TryParseTime(string text, out TimeSpan time)
    {
        if (text == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time);
    }
}
