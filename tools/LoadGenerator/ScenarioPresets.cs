namespace OrleansSupport.LoadGenerator;

/// <summary>
/// The benchmark scenarios of docs/benchmarks.md as named defaults, so that "--scenario storm" reproduces P2.
/// Any option given after them overrides their value.
/// </summary>
public static class ScenarioPresets
{
    public static LoadOptions For(string scenario) => scenario switch
    {
        "chat" => new LoadOptions(),

        // P1: sessions held open (a WebSocket and a session grain each), nobody queued, no operators.
        "connections" => new LoadOptions
        {
            Scenario = scenario, Customers = 19_000, Operators = 0, SessionsOnly = true, RampPerSecond = 500,
            Duration = TimeSpan.FromSeconds(90),
        },

        // P2: 10,000 waiting in two queues while operators serve about 20 customers a second
        // (24 operators of capacity 1, each chat held for 0.5-1.5 s, plus the time to take the next). Chats
        // of one fixed length would keep the simulated operators finishing in step, which no team of people
        // does: "--hold-spread 0" measures that case (docs/benchmarks.md, P2).
        "storm" => new LoadOptions
        {
            Scenario = scenario, Customers = 10_000, Languages = new() { ["en"] = 0.5, ["ru"] = 0.5 }, RampPerSecond = 500,
            Operators = 24, OperatorCapacity = 1, MessagesPerChat = 0, Hold = TimeSpan.FromSeconds(1), HoldSpread = 0.5,
            Duration = TimeSpan.FromSeconds(90),
        },

        // P6: a sales event's surge into one queue: 19,000 in English at 500 a second, served like P2.
        "surge" => For("storm") with { Scenario = scenario, Customers = 19_000, Languages = new() { ["en"] = 1.0 }, Duration = TimeSpan.FromSeconds(100) },

        // P3: 2,000 conversations chatting at once, every message stored before it is acknowledged; the
        // customer rate limit (2/s) sets the pace: one message every 500 ms, each answered at once.
        "throughput" => new LoadOptions
        {
            Scenario = scenario, Customers = 2_000, Operators = 100, OperatorCapacity = 20, RampPerSecond = 200,
            MessagesPerChat = LoadOptions.UntilTheEnd, ThinkTime = TimeSpan.FromMilliseconds(500),
            Duration = TimeSpan.FromSeconds(60), BaselineLength = TimeSpan.FromSeconds(15),
        },

        // P7: a chat load spread over the embedded default's frontends ("--frontends 3"), customers and
        // operators on them in turn, so most chats have their two sides on different frontends.
        "scaleout" => For("throughput") with
        {
            Scenario = scenario, Customers = 1_000, Operators = 50, BaselineLength = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(60),
        },

        // P4: 5,000 waiting, then 5,000 more within 10 seconds.
        "spike" => new LoadOptions
        {
            Scenario = scenario, Customers = 5_000, Operators = 0, RampPerSecond = 500, SpikeCustomers = 5_000,
            SpikeLength = TimeSpan.FromSeconds(10), Duration = TimeSpan.FromSeconds(45),
        },

        // P5: P3 at half its message rate for 20 minutes; chats of 20 messages, then a new chat.
        "soak" => new LoadOptions
        {
            Scenario = scenario, Customers = 2_000, Operators = 100, OperatorCapacity = 20, RampPerSecond = 200,
            MessagesPerChat = 20, ThinkTime = TimeSpan.FromMilliseconds(1000), Repeat = true,
            Duration = TimeSpan.FromMinutes(20),
        },

        _ => throw new ArgumentException($"Unknown scenario {scenario}: chat, connections, storm, surge, throughput, scaleout, spike or soak."),
    };
}
