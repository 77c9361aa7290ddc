using System.Globalization;

namespace OrleansSupport.LoadGenerator;

/// <summary>What to simulate; see <see cref="Help"/>.</summary>
public sealed record LoadOptions
{
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");
    public int Customers { get; init; } = 100;
    public int Operators { get; init; } = 10;
    public int OperatorCapacity { get; init; } = 5;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public double RampPerSecond { get; init; } = 50;
    public Dictionary<string, double> Languages { get; init; } = new() { ["en"] = 1.0 };
    public int MessagesPerChat { get; init; } = 5;
    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromMilliseconds(500);
    public double AbandonRate { get; init; }
    public string Scenario { get; init; } = "chat";
    public string? Output { get; init; }
    public string SupervisorUser { get; init; } = "supervisor";
    public string? SupervisorPassword { get; init; }
    public string QuestionId { get; init; } = "payment.charged-twice";

    public const string Help = """
        OrleansSupport load generator: simulated customers and operators over real SignalR connections.

          --url URL                 frontend to load (default http://127.0.0.1:5080)
          --customers N             simulated customers (default 100)
          --operators M             simulated operators (default 10)
          --capacity C              chats per operator at once (default 5)
          --duration SECONDS        how long the run lasts (default 60)
          --ramp PER_SECOND         customers started per second (default 50)
          --languages en:0.7,ru:0.3 language mix (default en:1)
          --messages N              messages each side sends per chat (default 5)
          --think-ms MS             pause between a customer's messages (default 500)
          --abandon-rate 0..1       share of customers who leave the queue before an operator comes
          --scenario NAME           a name for the report (default chat)
          --output FILE             also write the result as JSON
          --supervisor-user NAME    supervisor that creates the simulated operators (default supervisor)
          --supervisor-password PW  its password (or ORLEANS_SUPPORT_SUPERVISOR_PASSWORD)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions
        {
            SupervisorPassword = Environment.GetEnvironmentVariable("ORLEANS_SUPPORT_SUPERVISOR_PASSWORD"),
        };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Real() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--url" => options with { Url = new Uri(Next()) },
                "--customers" => options with { Customers = Int() },
                "--operators" => options with { Operators = Int() },
                "--capacity" => options with { OperatorCapacity = Int() },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Real()) },
                "--ramp" => options with { RampPerSecond = Real() },
                "--languages" => options with { Languages = ParseMix(Next()) },
                "--messages" => options with { MessagesPerChat = Int() },
                "--think-ms" => options with { ThinkTime = TimeSpan.FromMilliseconds(Real()) },
                "--abandon-rate" => options with { AbandonRate = Real() },
                "--scenario" => options with { Scenario = Next() },
                "--output" => options with { Output = Next() },
                "--supervisor-user" => options with { SupervisorUser = Next() },
                "--supervisor-password" => options with { SupervisorPassword = Next() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Use --help."),
            };
        }

        if (options.Customers < 1 || options.Operators < 1 || options.OperatorCapacity < 1 || options.RampPerSecond <= 0
            || options.AbandonRate is < 0 or > 1 || options.MessagesPerChat < 0)
        {
            throw new ArgumentException("Counts, capacity and ramp must be positive; the abandon rate is between 0 and 1.");
        }

        return options;
    }

    private static Dictionary<string, double> ParseMix(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split(':'))
            .ToDictionary(p => p[0], p => p.Length > 1 ? double.Parse(p[1], CultureInfo.InvariantCulture) : 1.0);
}
