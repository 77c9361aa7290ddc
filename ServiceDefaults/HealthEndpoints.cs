using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace OrleansSupport.ServiceDefaults;

/// <summary>
/// /alive: the process answers (for restarts). /health: it can do its work (for load balancers). The same
/// two endpoints on every host.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>Registers the readiness check: the Orleans cluster answers.</summary>
    public static IServiceCollection AddSupportHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterReachableHealthCheck>("orleans-cluster", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapSupportHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
