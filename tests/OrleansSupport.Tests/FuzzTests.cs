using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Xunit.Abstractions;

namespace OrleansSupport.Tests;

/// <summary>
/// 1,000 random or malformed payloads to every hub method, every API and the hub protocol itself, from a
/// seeded Random (FUZZ_SEED=n replays a run; the seed is printed and named in every failure). Expected:
/// no crash (both frontends and silos healthy, and a customer can still chat afterwards), no change to
/// anything outside the fuzzer's own chat (<see cref="StateSnapshot"/>), and clear errors: a hub refusal
/// carries a code the product defines (never "unavailable", which means an unexpected exception), an
/// HTTP answer is never 5xx and a 4xx has a body.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class FuzzTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly int PayloadsPerHubMethod = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_PER_TARGET"), out var n) ? n : 1000;
    private static readonly int PayloadsPerEndpoint = PayloadsPerHubMethod;
    private const int RawFrames = 80;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> _findings = [];

    [Fact]
    public async Task A_thousand_random_and_malformed_payloads_crash_nothing_change_nothing_and_get_clear_errors()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"FUZZ_SEED={seed}");
        await using var victim = await VictimScene.CreateAsync(fixture);
        await using var fuzzer = await FuzzerChat.CreateAsync(fixture);
        var payloads = new FuzzPayloads(new Random(seed), victim.SessionId, fuzzer.SessionId);
        var supervisor = await Attackers.LoggedInAsync(fixture, AccountRole.Supervisor, "fuzz-sup");
        var op = await Attackers.LoggedInAsync(fixture, AccountRole.Operator, "fuzz-op");
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await FuzzHubsAsync(payloads, fuzzer, victim);
            output.WriteLine($"hubs done at {clock.Elapsed.TotalSeconds:F1} s");
            await FuzzHttpAsync(payloads, victim, supervisor, op);
            output.WriteLine($"HTTP done at {clock.Elapsed.TotalSeconds:F1} s");
            await FuzzHubProtocolAsync(payloads);
            output.WriteLine($"hub protocol done at {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await MakeFuzzerOperatorUnavailableAsync(fuzzer);
        }

        foreach (var finding in _findings.Distinct())
        {
            output.WriteLine($"finding: {finding}");
        }

        Assert.True(_findings.Count == 0, $"FUZZ_SEED={seed}: {_findings.Count} findings:\n{string.Join("\n", _findings.Distinct().Take(40))}");
        await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, $"the fuzz run (FUZZ_SEED={seed})");
        await AssertStillServingAsync();
    }

    /// <summary>
    /// The fuzzer's operator may have room again (its chat may have ended): keep it from taking the next
    /// tests' customers, even when this run stopped early. A failure here is reported, not thrown, so it
    /// never hides the run's own failure.
    /// </summary>
    private async Task MakeFuzzerOperatorUnavailableAsync(FuzzerChat fuzzer)
    {
        try
        {
            if (fuzzer.Targets[0].Connection.State != HubConnectionState.Connected)
            {
                await fuzzer.Targets[0].ReconnectAsync();
            }

            await fuzzer.Targets[0].Connection.InvokeAsync<OperatorView>("SetAvailable", false);
        }
        catch (Exception ex)
        {
            _findings.Add($"the fuzzer's operator could not be made unavailable afterwards: {ex.GetType().Name} {ex.Message}");
        }
    }

    /// <summary>
    /// Every hub method gets <see cref="PayloadsPerHubMethod"/> calls, taken in turn with every other
    /// method so that states mix; a customer method's calls are spread over the customer's three states.
    /// </summary>
    private async Task FuzzHubsAsync(FuzzPayloads payloads, FuzzerChat fuzzer, VictimScene victim)
    {
        var known = KnownErrorCodes();
        var outcomes = new Dictionary<string, int>();
        var calls = fuzzer.Targets
            .SelectMany(t => AccessMatrix.HubMethods(t.HubType).Select(n => (Target: t, Method: t.HubType.GetMethod(n)!, Key: $"{t.HubType.Name}.{n}")))
            .ToArray();
        var made = calls.Select(c => c.Key).Distinct().ToDictionary(k => k, _ => 0);
        while (made.Values.Any(n => n < PayloadsPerHubMethod))
        {
            foreach (var (target, method, key) in calls.Where(c => made[c.Key] < PayloadsPerHubMethod))
            {
                made[key]++;
                await FuzzHubCallAsync(payloads, target, method, victim, known, outcomes);
            }
        }

        output.WriteLine($"hub methods: {made.Count}, payloads each: {PayloadsPerHubMethod}");
        output.WriteLine($"hub outcomes: {string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}");
    }

    private async Task FuzzHubCallAsync(
        FuzzPayloads payloads, FuzzTarget target, MethodInfo method, VictimScene victim, HashSet<string> known, Dictionary<string, int> outcomes)
    {
        var name = payloads.Random.Next(25) == 0 && payloads.String() is { Length: > 0 } unknown ? unknown : method.Name;
        var args = payloads.ArgsFor(method);
        var sent = $"{target.Name}.{name}({Describe(args)})";
        // Frames over the size limit, or nested deeper than the JSON reader's 64 levels, are protocol
        // violations: SignalR closes the sender's connection, and only that one.
        var json = JsonSerializer.Serialize(args, FuzzerChat.DeepJson);
        var frameBytes = Encoding.UTF8.GetByteCount(json) + Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(name));
        var mayClose = frameBytes > FrontendLimit - 1_000 || NestingOf(json) > 60;
        using var timeout = new CancellationTokenSource(CallTimeout);
        string outcome;
        try
        {
            var result = await target.Connection.InvokeCoreAsync(name, typeof(object), args, timeout.Token);
            if (target.HubType == typeof(WebFrontend.Hubs.CustomerHub))
            {
                victim.AssertNoLeak(JsonSerializer.Serialize(result, FuzzerChat.DeepJson), sent, json); // operators may read the inbox; customers nothing of B's
            }

            outcome = "accepted";
        }
        catch (HubException ex) when (!ex.Message.StartsWith("The server closed the connection", StringComparison.Ordinal))
        {
            outcome = HubErrors.CodeOf(ex) ?? (BindingRefusal().IsMatch(ex.Message) ? "binding refused" : "uncoded");
            if (outcome == "uncoded" || (outcome != "binding refused" && (!known.Contains(outcome) || outcome == "unavailable")))
            {
                _findings.Add($"{sent} -> {ex.Message}");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome = "hang";
            _findings.Add($"{sent} -> no answer within {CallTimeout.TotalSeconds} s");
            await target.ReconnectAsync();
        }
        catch (Exception ex) when (ex is HubException or InvalidOperationException or IOException || target.Connection.State != HubConnectionState.Connected)
        {
            outcome = mayClose ? "oversized or too deep: connection closed" : "connection lost";
            if (!mayClose)
            {
                _findings.Add($"{sent} -> the connection dropped: {ex.GetType().Name} {ex.Message}");
            }

            await target.ReconnectAsync();
        }

        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    /// <remarks>
    /// Kestrel itself refuses a request target with an encoded NUL (400, no body, before any middleware),
    /// and SignalR's transport endpoints refuse wrong verbs with a bare 405: the only 4xx allowed to come
    /// without a problem body.
    /// </remarks>
    private async Task FuzzHttpAsync(FuzzPayloads payloads, VictimScene victim, Caller supervisor, Caller op)
    {
        // Every endpoint but the Orleans dashboard's (its pages and API are the package's own).
        var endpoints = AccessMatrix.EndpointsOf(fixture.Frontend.Services, victim)
            .Where(e => !e.Path.StartsWith(WebFrontend.FrontendApp.OrleansDashboardPath, StringComparison.Ordinal)).ToArray();
        using var http = Attackers.NewHttp(fixture.FrontendUrl);
        http.Timeout = CallTimeout;
        var statuses = new Dictionary<int, int>();
        string[] verbs = ["GET", "POST", "PUT", "DELETE", "PATCH"];
        for (var i = 0; i < PayloadsPerEndpoint * endpoints.Length; i++)
        {
            var endpoint = endpoints[i % endpoints.Length]; // each in turn: every endpoint gets its share
            var pattern = endpoint.Key[(endpoint.Key.IndexOf(' ') + 1)..];

            // Logout would end the fuzzer's own logins; it is fuzzed anonymously.
            var caller = endpoint.Path.EndsWith("/logout", StringComparison.Ordinal) ? Attackers.Anonymous
                : payloads.Random.Next(10) switch { < 4 => Attackers.Anonymous, < 8 => supervisor, _ => op };
            var verb = payloads.Random.Next(10) == 0 ? verbs[payloads.Random.Next(verbs.Length)] : endpoint.Method;
            var path = RouteParameter().Replace(pattern, _ => RouteValue(pattern, caller == supervisor, payloads)) + payloads.Query("language");
            using var request = Attackers.Request(new HttpMethod(verb), path, caller, null);
            var bodyText = "";
            if (verb is "POST" or "PUT" or "PATCH" || payloads.Random.Next(8) == 0)
            {
                (request.Content, bodyText) = payloads.Body(FieldsOf(pattern), Forced(pattern, caller == supervisor, payloads));
            }

            var sent = $"{caller.Name} {verb} {path} [{request.Content?.Headers.ContentType}] {Shorten(bodyText)}";
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    _findings.Add($"{sent} -> {status} {Shorten(body)}");
                }
                else if (status >= 400 && body.Length == 0 && !path.Contains("%00", StringComparison.Ordinal) && !IsSignalRTransport(path))
                {
                    _findings.Add($"{sent} -> {status} without a body");
                }

                if (caller != supervisor)
                {
                    victim.AssertNoLeak(body, sent);
                }
            }
            catch (TaskCanceledException)
            {
                _findings.Add($"{sent} -> no answer within {CallTimeout.TotalSeconds} s");
            }
            catch (HttpRequestException ex)
            {
                _findings.Add($"{sent} -> the connection ended without an answer: {ex.InnerException?.Message ?? ex.Message}");
            }
        }

        output.WriteLine($"endpoints: {endpoints.Length}, payloads each: {PayloadsPerEndpoint}");
        output.WriteLine($"HTTP statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
    }

    /// <summary>Frames SignalR's own client would never send: broken handshakes, broken JSON, unknown message types.</summary>
    private async Task FuzzHubProtocolAsync(FuzzPayloads payloads)
    {
        var closed = 0;
        for (var i = 0; i < RawFrames; i++)
        {
            using var socket = new ClientWebSocket();
            var url = new UriBuilder(new Uri(fixture.FrontendUrl, "/hubs/customer")) { Scheme = "ws" }.Uri;
            using var timeout = new CancellationTokenSource(CallTimeout);
            await socket.ConnectAsync(url, timeout.Token);
            var handshake = payloads.Random.Next(5) == 0 ? payloads.String() : "{\"protocol\":\"json\",\"version\":1}";
            await SendFrameAsync(socket, handshake + "\u001e", timeout.Token);
            var frame = RawFrame(payloads);
            await SendFrameAsync(socket, frame, timeout.Token);
            try
            {
                // The handshake answer, then the server's answer to the frame or its close; a frame that
                // needs no answer (no invocation id) gets none, so a short wait ends the read.
                using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                var buffer = new byte[64 * 1024];
                var reads = 0;
                while (socket.State == WebSocketState.Open && reads++ < 3)
                {
                    var received = await socket.ReceiveAsync(buffer, quiet.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        closed++;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // No answer to a frame that needed none.
            }
            catch (WebSocketException)
            {
                closed++;
            }
        }

        output.WriteLine($"raw hub frames: {RawFrames}, connections closed by the server: {closed}");
    }

    private static string RawFrame(FuzzPayloads payloads)
    {
        string[] frames =
        [
            "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[", "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Resume\",\"arguments\":[\"x\",{\"a\":",
            "{\"type\":99}", "{\"type\":-1,\"target\":null}", "{\"type\":1,\"invocationId\":" + new string('9', 400) + "}", "not json at all",
            "{\"type\":1,\"invocationId\":\"1\",\"target\":\"StartSession\",\"arguments\":\"en\"}",
            "{\"type\":1,\"invocationId\":\"1\",\"target\":\"StartSession\",\"arguments\":[\"\\ud800\",null]}",
            "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Typing\",\"arguments\":[true]}", "{\"type\":3,\"invocationId\":\"1\",\"result\":1}",
            "{\"type\":1,\"invocationId\":\"1\",\"target\":\"End\",\"arguments\":[],\"streamIds\":[\"a\",\"b\"]}",
            "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Resume\",\"arguments\":" + new string('[', 500) + new string(']', 500) + "}",
        ];
        return (payloads.Random.Next(4) == 0 ? payloads.String() : frames[payloads.Random.Next(frames.Length)]) + "\u001e";
    }

    private static Task SendFrameAsync(ClientWebSocket socket, string text, CancellationToken cancellation) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellation);

    /// <summary>After the fuzz: both frontends healthy, both silos up, and a new customer is served and chats.</summary>
    private async Task AssertStillServingAsync()
    {
        using var http = new HttpClient();
        foreach (var frontend in new[] { fixture.FrontendUrl, fixture.SecondFrontendUrl })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(frontend, "/health"))).StatusCode);
        }

        Assert.Equal(2, fixture.Cluster.GetActiveSilos().Count());
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var customer = await CustomerClient.ConnectAsync(fixture.SecondFrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"after-fuzz-{Guid.NewGuid():N}"[..30], ["en"], capacity: 1);
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());
        await customer.SendAsync("still there?");
        var received = await HubClient.NextAsync(op.Messages, m => m.Session == session.SessionId && m.Message.Author == MessageAuthor.Customer);
        Assert.Equal("still there?", received.Message.Text);
        await op.Hub.InvokeAsync("EndChat", session.SessionId);
    }

    /// <summary>Every refusal code the product defines, read from its source, so new codes need no list here.</summary>
    private static HashSet<string> KnownErrorCodes()
    {
        var codes = new HashSet<string>();
        foreach (var project in new[] { "Grains", "Grains.Interfaces", "WebFrontend" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, project), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/")))
            {
                foreach (Match match in ErrorCodeInSource().Matches(File.ReadAllText(file)))
                {
                    codes.Add(match.Groups["code"].Value);
                }
            }
        }

        Assert.Contains("unknown-session", codes);
        return codes;
    }

    /// <summary>The JSON field names each endpoint reads, so bodies are close enough to reach its checks.</summary>
    private static string[] FieldsOf(string pattern) => pattern switch
    {
        "/api/account/login" => ["userName", "password"],
        "/api/accounts/" => ["userName", "displayName", "password", "role"],
        "/api/account/password" => ["currentPassword", "newPassword"],
        "/api/operators/{userName}/capacity" => ["capacity"],
        "/api/languages/{code}/hours" => ["alwaysOpen", "opens", "closes"],
        "/api/help/feedback" => ["questionId", "suggestionId", "solved"],
        "/api/email-requests" => ["language", "questionId", "email", "orderNumber", "text"],
        _ => ["value"],
    };

    /// <summary>User names no account can have (the payloads hold real ones, such as the supervisor's).</summary>
    private static readonly string[] NamesNoAccountHas = ["ab", "bad name", new string('x', 65), "sr-22\u200b"];

    /// <summary>
    /// A supervisor may create accounts: the fuzzer's always get a user name no account can have, so a
    /// body that happens to be valid otherwise is still refused and the accounts stay as they were.
    /// </summary>
    private static Dictionary<string, object?> Forced(string pattern, bool asSupervisor, FuzzPayloads payloads)
    {
        object?[] names = [null, "", 42, .. NamesNoAccountHas];
        return asSupervisor && pattern == "/api/accounts/" ? new() { ["userName"] = names[payloads.Random.Next(names.Length)] } : [];
    }

    /// <summary>
    /// A supervisor may also disable and enable accounts: on those routes the fuzzer's name no account can
    /// have either, so a payload that names a real one (the supervisor's own) changes no account.
    /// </summary>
    private static string RouteValue(string pattern, bool asSupervisor, FuzzPayloads payloads) =>
        asSupervisor && pattern.StartsWith("/api/accounts/{userName}/", StringComparison.Ordinal)
            ? Uri.EscapeDataString(NamesNoAccountHas[payloads.Random.Next(NamesNoAccountHas.Length)])
            : payloads.RouteValue();

    private const long FrontendLimit = OrleansSupport.WebFrontend.FrontendApp.MaxReceiveBytes;

    /// <summary>SignalR's own endpoints (negotiate, the transports) answer a wrong verb with a bare 405.</summary>
    private static bool IsSignalRTransport(string path) => path.StartsWith("/hubs/", StringComparison.Ordinal);

    private static int NestingOf(string json)
    {
        int depth = 0, deepest = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            switch (json[i])
            {
                case '\\' when inString: i++; break;
                case '"': inString = !inString; break;
                case '[' or '{' when !inString: deepest = Math.Max(deepest, ++depth); break;
                case ']' or '}' when !inString: depth--; break;
            }
        }

        return deepest;
    }

    private static string Describe(object?[] args) => Shorten(JsonSerializer.Serialize(args, FuzzerChat.DeepJson));

    private static string Shorten(string text) => text.Length <= 160 ? text : $"{text[..160]}... ({text.Length} chars)";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    // SignalR's own refusal when the arguments do not bind to the method (wrong types or count, unknown method).
    [GeneratedRegex(@"^Failed to invoke '.*' due to an error on the server\.|Method does not exist|Error binding arguments|Invocation provides \d+ argument", RegexOptions.Singleline)]
    private static partial Regex BindingRefusal();

    [GeneratedRegex(@"(?:SupportException|HubException|new)\(\s*\$?""(?<code>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)[:""]")]
    private static partial Regex ErrorCodeInSource();
}
