using System.Net;
using Microsoft.AspNetCore.Authorization;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// Who may read /metrics: a scraper on this machine (loopback), or a signed-in supervisor. Metrics name
/// queues, load and error rates; the public gets 401 (anonymous) or 403 (an operator). /health and /alive
/// stay anonymous: they say only "up" or "down".
/// </summary>
public static class MetricsAccess
{
    public static void Policy(AuthorizationPolicyBuilder policy) =>
        policy.RequireAssertion(context =>
            context.User.IsInRole(SupportRoles.Supervisor)
            || (context.Resource is HttpContext http && IsLoopback(http.Connection.RemoteIpAddress)));

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
