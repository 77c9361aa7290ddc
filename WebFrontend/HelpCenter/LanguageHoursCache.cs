using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrleansSupport.WebFrontend.HelpCenter;

/// <summary>
/// The hours that apply to each language (a supervisor's change, else configuration), read from the
/// cluster at most every few seconds: pages and the closing notices ask often, the hours change rarely.
/// </summary>
public sealed class LanguageHoursCache(IGrainFactory grains, IOptions<LanguageOptions> languages)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, (SupportLanguage Hours, DateTime ReadAt)> _read = new(StringComparer.Ordinal);

    public async Task<SupportLanguage> GetAsync(string code)
    {
        if (_read.TryGetValue(code, out var cached) && DateTime.UtcNow - cached.ReadAt < MaxAge)
        {
            return cached.Hours;
        }

        var hours = await EffectiveHours.OfAsync(grains, languages.Value, code);
        _read[code] = (hours, DateTime.UtcNow);
        return hours;
    }

    /// <summary>After a change made through this frontend, show it at once.</summary>
    public void Forget(string code) => _read.TryRemove(code, out _);
}
