using OrleansSupport.Storage;

namespace OrleansSupport.Dashboard;

/// <inheritdoc cref="IRatingStatsGrain"/>
public sealed class RatingStatsGrain(
    [PersistentState("rating-stats", StorageNames.Default)] IPersistentState<RatingStatsState> state) : Grain, IRatingStatsGrain
{
    public async Task Add(int score)
    {
        if (score is < 1 or > 5)
        {
            return;
        }

        state.State.Count++;
        state.State.Sum += score;
        await state.WriteStateAsync();
    }

    public Task<RatingStats> Get() =>
        Task.FromResult(new RatingStats(state.State.Count, state.State.Count > 0 ? (double)state.State.Sum / state.State.Count : null));
}

[GenerateSerializer, Alias("OrleansSupport.RatingStatsState")]
public sealed class RatingStatsState
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public long Sum { get; set; }
}
