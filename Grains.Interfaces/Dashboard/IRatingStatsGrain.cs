namespace OrleansSupport.Dashboard;

/// <summary>How customers rated their chats, for the supervisors' dashboard (key: 0).</summary>
[Alias("OrleansSupport.Dashboard.IRatingStatsGrain")]
public interface IRatingStatsGrain : IGrainWithIntegerKey
{
    [OneWay, Alias("Add")]
    Task Add(int score);

    [Alias("Get")]
    Task<RatingStats> Get();
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.RatingStats")]
public sealed record RatingStats([property: Id(0)] int Count, [property: Id(1)] double? Average);
