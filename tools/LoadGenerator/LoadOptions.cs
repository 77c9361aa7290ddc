using System.Globalization;

namespace OrleansSupport.LoadGenerator;

/// <summary>What to simulate; see <see cref="Help"/>. A scenario sets defaults that later options override.</summary>
public sealed record LoadOptions
{
    /// <summary>The frontends to load, used in turn; empty: start the embedded default and load that.</summary>
    public Uri[] Urls { get; init; } = [];
    public int Customers { get; init; } = 100;
    public int Operators { get; init; } = 10;
    public int OperatorCapacity { get; init; } = 5;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public double RampPerSecond { get; init; } = 50;
    public Dictionary<string, double> Languages { get; init; } = new() { ["en"] = 1.0 };

    /// <summary>Messages a customer sends per chat; <see cref="UntilTheEnd"/>: keeps chatting until the run ends.</summary>
    public int MessagesPerChat { get; init; } = 5;
    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a customer stays in the chat after their messages before ending it.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Each chat's hold is drawn evenly from Hold × (1 ± this), so the mean stays Hold. 0: every chat the same,
    /// which keeps simulated operators finishing in step with one another.
    /// </summary>
    public double HoldSpread { get; init; }
    public double AbandonRate { get; init; }

    /// <summary>Customers who only open a session and hold it (no queue): the connections scenario.</summary>
    public bool SessionsOnly { get; init; }

    /// <summary>A customer whose chat ended starts a new one, until the run ends (the soak).</summary>
    public bool Repeat { get; init; }
    public int SpikeCustomers { get; init; }
    public TimeSpan SpikeAfter { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan SpikeLength { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan BaselineLength { get; init; } = TimeSpan.Zero;
    public int BaselineConnections { get; init; }
    public int EmbeddedFrontends { get; init; } = 1;
    public string Scenario { get; init; } = "chat";
    public string? Output { get; init; }
    public string SupervisorUser { get; init; } = "supervisor";
    public string? SupervisorPassword { get; init; }
    public string QuestionId { get; init; } = "payment.charged-twice";
    public bool Quiet { get; init; }

    public const int UntilTheEnd = int.MaxValue;

    public const string Help = """
        OrleansSupport load generator: simulated customers and operators over real SignalR connections.

          --scenario NAME           chat (default), or a benchmark preset whose defaults the other options
                                    override: connections (P1), storm (P2), throughput (P3), spike (P4), soak (P5),
                                    surge (P6), scaleout (P7, with --frontends 1 and 3)
          --url URL[,URL...]        frontends to load, used in turn; without it the generator builds and
                                    starts the embedded default (one silo on SQLite, one frontend) and stops
                                    it at the end
          --frontends N             frontends of the embedded default (default 1)
          --customers N             simulated customers (default 100)
          --operators M             simulated operators (default 10; 0 for none)
          --capacity C              chats per operator at once (default 5)
          --duration SECONDS        how long the run lasts (default 60)
          --ramp PER_SECOND         customers started per second (default 50)
          --languages en:0.7,ru:0.3 language mix (default en:1)
          --messages N|end          messages each customer sends per chat, or "end": chat until the run ends;
                                    operators answer every message at once (default 5)
          --think-ms MS             pause between a customer's messages (default 500)
          --hold-ms MS              time a customer stays in the chat after their messages (default 0)
          --hold-spread 0..1        each chat's hold drawn evenly from hold × (1 ± spread), same mean
                                    (default 0: every chat held exactly as long)
          --abandon-rate 0..1       share of customers who leave the queue before an operator comes
          --sessions-only           customers open a session and hold it, without queueing (connections)
          --repeat                  a customer whose chat ended starts another, until the run ends
          --spike N                 after the first customers are in, N more arrive ...
          --spike-after SECONDS     ... this long after the last of the first ones (default 5) ...
          --spike-seconds SECONDS   ... spread over this long (default 10)
          --baseline-seconds S      first measure a bare SignalR echo hub for S seconds (same client code,
                                    same message size), so throughput is also given as a ratio to it
          --baseline-connections N  connections of the echo baseline (default: the customers)
          --output FILE             also write the result as JSON
          --quiet                   no live progress lines
          --supervisor-user NAME    supervisor that creates the simulated operators (default supervisor)
          --supervisor-password PW  its password (or ORLEANS_SUPPORT_SUPERVISOR_PASSWORD; not needed for
                                    the embedded default, which the generator starts with its own)

        Exit code 0: every message accounted for; 2: messages lost, duplicated or out of order; 1: bad options.
        """;

    public static LoadOptions Parse(string[] args)
    {
        var scenario = ScenarioOf(args);
        var options = ScenarioPresets.For(scenario) with
        {
            SupervisorPassword = Environment.GetEnvironmentVariable("ORLEANS_SUPPORT_SUPERVISOR_PASSWORD"),
        };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Real() => double.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(Real());
            TimeSpan Milliseconds() => TimeSpan.FromMilliseconds(Real());
            options = args[i] switch
            {
                "--scenario" => options with { Scenario = Next() },
                "--url" => options with { Urls = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))] },
                "--frontends" => options with { EmbeddedFrontends = Int() },
                "--customers" => options with { Customers = Int() },
                "--operators" => options with { Operators = Int() },
                "--capacity" => options with { OperatorCapacity = Int() },
                "--duration" => options with { Duration = Seconds() },
                "--ramp" => options with { RampPerSecond = Real() },
                "--languages" => options with { Languages = ParseMix(Next()) },
                "--messages" => options with { MessagesPerChat = Next() is "end" ? UntilTheEnd : int.Parse(args[i], CultureInfo.InvariantCulture) },
                "--think-ms" => options with { ThinkTime = Milliseconds() },
                "--hold-ms" => options with { Hold = Milliseconds() },
                "--hold-spread" => options with { HoldSpread = Real() },
                "--abandon-rate" => options with { AbandonRate = Real() },
                "--sessions-only" => options with { SessionsOnly = true },
                "--repeat" => options with { Repeat = true },
                "--spike" => options with { SpikeCustomers = Int() },
                "--spike-after" => options with { SpikeAfter = Seconds() },
                "--spike-seconds" => options with { SpikeLength = Seconds() },
                "--baseline-seconds" => options with { BaselineLength = Seconds() },
                "--baseline-connections" => options with { BaselineConnections = Int() },
                "--output" => options with { Output = Next() },
                "--quiet" => options with { Quiet = true },
                "--supervisor-user" => options with { SupervisorUser = Next() },
                "--supervisor-password" => options with { SupervisorPassword = Next() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Use --help."),
            };
        }

        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (Customers < 1 || Operators < 0 || OperatorCapacity < 1 || RampPerSecond <= 0 || MessagesPerChat < 0
            || SpikeCustomers < 0 || BaselineConnections < 0 || EmbeddedFrontends < 1 || Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("Counts, capacity, ramp and duration must be positive (operators and spike may be 0).");
        }

        if (AbandonRate is < 0 or > 1)
        {
            throw new ArgumentException("The abandon rate is between 0 and 1.");
        }

        if (HoldSpread is < 0 or > 1)
        {
            throw new ArgumentException("The hold spread is between 0 and 1.");
        }

        if (Languages.Count == 0 || Languages.Values.Any(w => w <= 0))
        {
            throw new ArgumentException("--languages needs at least one language with a positive weight, e.g. en:0.5,ru:0.5.");
        }
    }

    private static string ScenarioOf(string[] args)
    {
        var at = Array.IndexOf(args, "--scenario");
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : "chat";
    }

    private static Dictionary<string, double> ParseMix(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split(':'))
            .ToDictionary(p => p[0], p => p.Length > 1 ? double.Parse(p[1], CultureInfo.InvariantCulture) : 1.0);
}
