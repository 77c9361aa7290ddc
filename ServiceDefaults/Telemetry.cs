using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace OrleansSupport.ServiceDefaults;

/// <summary>
/// OpenTelemetry metrics on every host, scraped by Prometheus at /metrics: OrleansSupport's own meter,
/// Orleans', and ASP.NET Core's (HTTP, Kestrel, SignalR connections).
/// </summary>
public static class Telemetry
{
    private static readonly string[] Meters =
    [
        "OrleansSupport",
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    ];

    public static IServiceCollection AddSupportTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>/metrics; the returned builder lets a host restrict who may read it.</summary>
    public static IEndpointConventionBuilder MapSupportTelemetry(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics");
}
