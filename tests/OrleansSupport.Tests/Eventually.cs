namespace OrleansSupport.Tests;

/// <summary>Polls until a condition holds, for effects that arrive asynchronously (pushes, timers).</summary>
public static class Eventually
{
    public static async Task<T> Async<T>(Func<Task<T>> read, Func<T, bool> condition, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T value;
        while (!condition(value = await read()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeoutSeconds} s; last value: {value?.ToString() ?? "none"}");
            }

            await Task.Delay(50);
        }

        return value;
    }
}
