using Microsoft.Extensions.Options;
using OrleansSupport.Storage;

namespace OrleansSupport.Languages;

/// <inheritdoc cref="ILanguageHoursGrain"/>
public sealed class LanguageHoursGrain(
    [PersistentState("language-hours", StorageNames.Default)] IPersistentState<LanguageHoursState> state,
    IOptions<LanguageOptions> languages) : Grain, ILanguageHoursGrain
{
    public Task<LanguageHours?> Get() => Task.FromResult(state.State.Hours);

    public async Task Set(LanguageHours hours)
    {
        languages.Value.EnsureKnown(this.GetPrimaryKeyString()).WithHours(hours); // refuses bad hours
        state.State.Hours = hours;
        await state.WriteStateAsync();
    }

    public async Task Clear()
    {
        state.State.Hours = null;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("OrleansSupport.LanguageHoursState")]
public sealed class LanguageHoursState
{
    [Id(0)] public LanguageHours? Hours { get; set; }
}
