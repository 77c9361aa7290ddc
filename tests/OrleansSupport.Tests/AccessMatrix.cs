using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.WebFrontend;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>Who may call a hub method or an endpoint.</summary>
public enum Access
{
    Anyone,
    Staff,
    Supervisor,
}

/// <summary>How a customer hub method finds its session.</summary>
public enum CustomerMethodKind
{
    /// <summary>Creates a session and binds the connection to it.</summary>
    StartsSession,

    /// <summary>Opens a session by its token (id and secret) and binds the connection to it.</summary>
    ResumesSession,

    /// <summary>Acts on the session the connection is bound to; names no session.</summary>
    ActsOnBoundSession,
}

/// <param name="Args">Arguments aimed at victim B, so that a missing check would show as a change to B.</param>
public sealed record CustomerMethodRule(CustomerMethodKind Kind, Func<VictimScene, object?[]> Args);

/// <param name="Args">Arguments aimed at B; the string names an operator with room who would take B's chat.</param>
public sealed record OperatorMethodRule(Access Access, Func<VictimScene, string, object?[]> Args);

/// <param name="Method">For endpoints that accept any verb (health checks, hubs): the one the tests use.</param>
/// <param name="Body">A JSON body aimed at B's data (or at privileges), so a missing check would show.</param>
/// <param name="Why">For <see cref="Access.Anyone"/>: why it is safe to be public.</param>
public sealed record EndpointRule(Access Access, string? Why = null, string Method = "GET", string Query = "", Func<VictimScene, object>? Body = null);

/// <summary>One endpoint as the frontend routes it, and the rule that covers it.</summary>
public sealed record EndpointCase(string Key, string Method, string Path, EndpointRule Rule)
{
    public override string ToString() => Key;
}

/// <summary>
/// The rules of the IDOR matrix for every hub method and endpoint, and the enumeration of what the
/// frontend really exposes. A method or endpoint without a rule fails the matrix: nothing new can be
/// added unguarded without someone deciding who may call it.
/// </summary>
public static class AccessMatrix
{
    public static readonly IReadOnlyDictionary<string, CustomerMethodRule> CustomerHub = new Dictionary<string, CustomerMethodRule>
    {
        ["StartSession"] = new(CustomerMethodKind.StartsSession, _ => ["en", TestCustomer.ChatQuestion]),
        ["Resume"] = new(CustomerMethodKind.ResumesSession, v => [v.Customer.Token, 0L]),
        ["RequestOperator"] = new(CustomerMethodKind.ActsOnBoundSession, _ => []),
        ["ChooseQuestion"] = new(CustomerMethodKind.ActsOnBoundSession, _ => [TestCustomer.SelfServiceQuestion]),
        ["MoveToFallback"] = new(CustomerMethodKind.ActsOnBoundSession, _ => []),
        ["SendMessage"] = new(CustomerMethodKind.ActsOnBoundSession, _ => [Guid.NewGuid(), "attacker was here"]),
        ["Typing"] = new(CustomerMethodKind.ActsOnBoundSession, _ => [true]),
        ["Rate"] = new(CustomerMethodKind.ActsOnBoundSession, _ => [1, "attacker rating"]),
        ["End"] = new(CustomerMethodKind.ActsOnBoundSession, _ => []),
    };

    public static readonly IReadOnlyDictionary<string, OperatorMethodRule> OperatorHub = new Dictionary<string, OperatorMethodRule>
    {
        ["SignIn"] = new(Access.Staff, (_, _) => [new[] { "en" }, 1]),
        ["SetAvailable"] = new(Access.Staff, (_, _) => [true]),
        ["Heartbeat"] = new(Access.Staff, (_, _) => []),
        ["AcceptNext"] = new(Access.Staff, (_, _) => []),
        ["GetStatus"] = new(Access.Staff, (_, _) => []),
        ["GetChat"] = new(Access.Staff, (v, _) => [v.SessionId, 0L]),
        ["SendMessage"] = new(Access.Staff, (v, _) => [v.SessionId, Guid.NewGuid(), "attacker was here"]),
        ["Typing"] = new(Access.Staff, (v, _) => [v.SessionId, true]),
        ["TransferToQueue"] = new(Access.Staff, (v, _) => [v.SessionId, "ru"]),
        ["TransferToOperator"] = new(Access.Staff, (v, taker) => [v.SessionId, taker]),
        ["EndChat"] = new(Access.Staff, (v, _) => [v.SessionId]),
        ["GetEmailRequests"] = new(Access.Staff, (_, _) => [null]),
        ["GetEmailRequest"] = new(Access.Staff, (v, _) => [v.EmailReference]),
        ["AnswerEmailRequest"] = new(Access.Staff, (v, _) => [v.EmailReference, "attacker answer"]),
        ["GetCannedReplies"] = new(Access.Staff, (_, _) => ["en"]),
        ["SetCannedReplies"] = new(Access.Staff, (_, _) => ["en", new[] { "attacker reply" }]),
    };

    /// <summary>Keyed by "VERB /pattern" ("* /pattern" when the endpoint takes any verb).</summary>
    public static readonly IReadOnlyDictionary<string, EndpointRule> Endpoints = new Dictionary<string, EndpointRule>
    {
        ["* /alive"] = new(Access.Anyone, "liveness probe: no data"),
        ["* /health"] = new(Access.Anyone, "readiness probe: no data"),
        ["* /metrics"] = new(Access.Anyone, "aggregate counters, answered to loopback scrapers (as here) and supervisors only; remote callers are refused in MetricsAccessTests"),
        ["* /hubs/customer/negotiate"] = new(Access.Anyone, "customers are anonymous; the hub binds each connection to one session by its secret", "POST", "?negotiateVersion=1"),
        ["* /hubs/customer"] = new(Access.Anyone, "as above"),
        ["* /hubs/operator/negotiate"] = new(Access.Staff, Method: "POST", Query: "?negotiateVersion=1"),
        ["* /hubs/operator"] = new(Access.Staff),
        ["POST /api/account/login"] = new(Access.Anyone, "the login itself", Body: v => new { userName = v.OperatorId, password = TestAccounts.Password }),
        ["POST /api/account/logout"] = new(Access.Staff),
        ["GET /api/account/me"] = new(Access.Staff),
        ["POST /api/account/password"] = new(Access.Staff, Body: _ => new { currentPassword = "not the current one", newPassword = "a long enough password" }),
        ["POST /api/accounts/{userName}/disable"] = new(Access.Supervisor),
        ["POST /api/accounts/{userName}/enable"] = new(Access.Supervisor),
        ["GET /api/accounts/"] = new(Access.Supervisor),
        ["POST /api/accounts/"] = new(Access.Supervisor, Body: _ => new
        {
            userName = $"idor-{Guid.NewGuid():N}"[..30], displayName = "Escalated", password = TestAccounts.Password, role = "Supervisor",
        }),
        ["GET /api/dashboard"] = new(Access.Supervisor),
        ["PUT /api/operators/{userName}/capacity"] = new(Access.Supervisor, Body: _ => new { capacity = 7 }),
        ["PUT /api/languages/{code}/hours"] = new(Access.Supervisor, Body: _ => new { alwaysOpen = true }),
        ["DELETE /api/languages/{code}/hours"] = new(Access.Supervisor),
        [$"GET {FrontendApp.OrleansDashboardPath}/**"] = new(Access.Supervisor),
        ["GET /api/help/catalog"] = new(Access.Anyone, "the public help catalog", Query: "?language=en"),
        ["GET /api/help/hours"] = new(Access.Anyone, "public opening hours", Query: "?language=en"),
        ["POST /api/help/feedback"] = new(Access.Anyone, "anonymous 'did this help?' counters",
            Body: _ => new { questionId = "no.such-question", suggestionId = "none", solved = true }),
        ["POST /api/email-requests"] = new(Access.Anyone, "write-only: answers a reference number, never a request",
            Body: v => new { language = "en", questionId = TestCustomer.ChatQuestion, email = "not-an-address", orderNumber = "ORD-1", text = "x" }),
    };

    /// <summary>The methods SignalR would dispatch on <paramref name="hub"/>: public instance methods declared below Hub.</summary>
    public static string[] HubMethods(Type hub) =>
    [
        .. hub.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName && !IsHubBase(m.GetBaseDefinition().DeclaringType!))
            .Select(m => m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name)
            .Distinct(),
    ];

    private static bool IsHubBase(Type type) =>
        type == typeof(object) || type == typeof(Hub) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Hub<>));

    public static Type CustomerHubType => typeof(CustomerHub);

    public static Type OperatorHubType => typeof(OperatorHub);

    /// <summary>Every routed endpoint of the frontend, each with its rule; fails naming those without one.</summary>
    public static EndpointCase[] EndpointsOf(IServiceProvider frontend, VictimScene victim)
    {
        var routed = frontend.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var cases = new List<EndpointCase>();
        var unruled = new List<string>();
        foreach (var endpoint in routed)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            var verbs = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var key = $"{(verbs.Count == 0 ? "*" : string.Join(",", verbs))} {pattern}";
            if (Endpoints.TryGetValue(key, out var rule) || TryPrefixRule(key, out rule))
            {
                cases.Add(new EndpointCase(key, verbs.Count == 0 ? rule.Method : verbs[0], SamplePath(endpoint.RoutePattern, victim) + rule.Query, rule));
            }
            else
            {
                unruled.Add(key);
            }
        }

        Assert.True(unruled.Count == 0, $"Endpoints without a rule in {nameof(AccessMatrix)}.{nameof(Endpoints)}: {string.Join("; ", unruled)}");
        var stale = Endpoints.Keys.Where(k => !k.EndsWith("/**", StringComparison.Ordinal) && cases.All(c => c.Key != k)).ToList();
        Assert.True(stale.Count == 0, $"Rules for endpoints that no longer exist: {string.Join("; ", stale)}");
        return [.. cases];
    }

    /// <summary>A rule ending in "/**" covers a whole mapped library (the Orleans Dashboard) under one prefix.</summary>
    private static bool TryPrefixRule(string key, out EndpointRule rule)
    {
        foreach (var (ruleKey, candidate) in Endpoints.Where(r => r.Key.EndsWith("/**", StringComparison.Ordinal)))
        {
            if (key.StartsWith(ruleKey[..^2], StringComparison.Ordinal))
            {
                rule = candidate;
                return true;
            }
        }

        rule = null!;
        return false;
    }

    /// <summary>The route with its parameters filled: names point at B's operator and a real language.</summary>
    private static string SamplePath(Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern, VictimScene victim)
    {
        var path = pattern.RawText!;
        foreach (var parameter in pattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "userName" => victim.OperatorId,
                "code" => "ru",
                "page" => "1",
                _ when parameter.IsCatchAll => "x",
                _ => throw new InvalidOperationException($"No sample value for route parameter '{parameter.Name}' in {path}: add one."),
            };
            var start = path.IndexOf('{', StringComparison.Ordinal);
            var end = path.IndexOf('}', start);
            path = path[..start] + Uri.EscapeDataString(value) + path[(end + 1)..];
        }

        return path;
    }
}
