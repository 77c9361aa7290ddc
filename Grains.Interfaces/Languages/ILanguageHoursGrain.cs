namespace OrleansSupport;

/// <summary>
/// A supervisor's run-time change to a language's opening hours (key: the language code). Without one,
/// the configured hours apply.
/// </summary>
[Alias("OrleansSupport.ILanguageHoursGrain")]
public interface ILanguageHoursGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<LanguageHours?> Get();

    /// <summary>Sets new hours (validated like configuration); they apply at once everywhere.</summary>
    [Alias("Set")]
    Task Set(LanguageHours hours);

    /// <summary>Back to the configured hours.</summary>
    [Alias("Clear")]
    Task Clear();
}

/// <summary>Opening hours in the language's own time zone: "HH:mm", Closes may be "24:00".</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.LanguageHours")]
public sealed record LanguageHours(
    [property: Id(0)] bool AlwaysOpen,
    [property: Id(1)] string? Opens,
    [property: Id(2)] string? Closes);
