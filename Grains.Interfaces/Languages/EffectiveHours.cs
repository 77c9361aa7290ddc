namespace OrleansSupport;

/// <summary>
/// The hours that apply now to a language: a supervisor's change if there is one, else configuration.
/// </summary>
public static class EffectiveHours
{
    public static async Task<SupportLanguage> OfAsync(IGrainFactory grains, LanguageOptions languages, string? code)
    {
        var configured = languages.EnsureKnown(code);
        return await grains.GetGrain<ILanguageHoursGrain>(configured.Code).Get() is { } changed
            ? configured.WithHours(changed)
            : configured;
    }
}
