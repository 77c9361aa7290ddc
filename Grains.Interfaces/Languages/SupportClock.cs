namespace OrleansSupport;

/// <summary>
/// The clock that decides opening hours and waiting times: a keyed <see cref="TimeProvider"/>, so tests can
/// run the product at any hour without also moving the clocks of Orleans and ASP.NET Core.
/// </summary>
public static class SupportClock
{
    public const string Key = "support-clock";
}
