using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Identity;
using OrleansSupport.HelpCenter;
using OrleansSupport.WebFrontend.Accounts;
using OrleansSupport.ServiceDefaults;
using OrleansSupport.WebFrontend.Dashboard;
using OrleansSupport.WebFrontend.HelpCenter;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Limits;
using OrleansSupport.WebFrontend.Push;
using OrleansSupport.WebFrontend.Queues;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend;

/// <summary>Builds the web frontend: static pages, the two hubs, and the Orleans client behind them.</summary>
public static class FrontendApp
{
    /// <summary>
    /// The largest hub frame. The largest legitimate call is a full canned-reply list (20 x 500
    /// characters): up to 60 KB when a client escapes every character as \uXXXX, as .NET's JSON does
    /// for Cyrillic. A chat message (4,000 characters) needs at most 24 KB.
    /// </summary>
    public const long MaxReceiveBytes = 64 * 1024;

    /// <summary>The largest HTTP request body: the APIs take small JSON forms (an e-mail request is the largest).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public const string OrleansDashboardPath = "/orleans-dashboard";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.UseOrleansClient(client =>
        {
            ConfigureCluster(client, builder.Configuration);
            client.AddOutgoingGrainCallFilter<CallingFrontendFilter>();
            client.AddDashboard();
        });

        // SignalR logs every refused call ("rate-limited", "no-session", malformed arguments) at Error, with
        // a stack trace: a flood or a fuzzer would fill the log with client mistakes. Real failures are
        // logged once by SupportErrorFilter.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);
        builder.Services.AddSupportAuthentication(builder.Configuration);
        builder.Services.AddSupportLimits(builder.Configuration);
        builder.Services.AddSingleton<IPasswordHasher<AccountView>, PasswordHasher<AccountView>>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<KnownBrowsers>();
        builder.Services.AddHostedService<FirstSupervisor>();
        // Every 4xx without a body of its own gets a ProblemDetails one. No traceId in it: refusals that must
        // look alike (a wrong password and an unknown name) stay byte-for-byte alike.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions.Remove("traceId"));
        builder.Services.AddSupportHealth();
        builder.Services.AddHeapCompaction(builder.Configuration);
        builder.Services.AddSupportTelemetry();
        builder.Services.AddSupportLanguages(builder.Configuration);
        builder.Services.AddHelpCatalog(builder.Configuration);
        builder.Services.AddSingleton<CustomerConnections>();
        builder.Services.AddSingleton<OperatorConnections>();
        builder.Services.AddSingleton<AccountConnections>();
        builder.Services.AddSingleton<ConnectionOutboxes>();
        builder.Services.AddSingleton<LanguageHoursCache>();
        builder.Services.AddSingleton<Admissions>();
        builder.Services.AddSingleton<QueueNumbers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueNumbers>());
        builder.Services.AddSingleton<FrontendObserver>();
        builder.Services.AddSingleton<FrontendReference>();
        builder.Services.AddSingleton<SenderConnections>();
        builder.Services.AddSingleton<ClusterConnectionWatch>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterConnectionWatch>());
        builder.Services.AddSingleton<PageCatchUp>();
        builder.Services.AddHostedService<FrontendRegistration>();
        builder.Services
            .AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = MaxReceiveBytes;
                o.AddFilter<SupportErrorFilter>();
                o.AddFilter<GatewayLossFilter>();
                o.AddFilter<HubCallLimitFilter>(); // before the sign-out check: a refused flood costs no grain call
                o.AddFilter<SignedOutConnectionFilter>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var app = builder.Build();
        // An exception that escapes an endpoint gets a ProblemDetails body; a silo out of reach is a 503.
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ClusterFailures.StatusCodeOf });
        app.Use(async (context, next) =>
        {
            // Pages load only their own scripts: no inline script, so injected markup cannot run. The Orleans
            // Dashboard ships its own page (supervisors only) and keeps its own script rules, but no page of
            // ours may be framed by another site.
            context.Response.Headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(OrleansDashboardPath)
                ? "frame-ancestors 'none'"
                : ContentSecurityPolicy;
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            // Links out of a chat (or the console) do not tell the other site which page they came from.
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next();
        });
        app.UseOversizedBodyRefusal();
        app.UseClientIdCookie();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseUtf8RequestBodies();
        app.MapSupportHealth();
        app.MapSupportTelemetry().RequireAuthorization(MetricsAccess.Policy);
        app.MapAccountApi();
        app.MapDashboardApi();
        app.MapOrleansDashboard(OrleansDashboardPath).RequireAuthorization(p => p.RequireRole(SupportRoles.Supervisor));
        app.MapHelpCenterApi();
        app.MapHub<CustomerHub>("/hubs/customer");
        app.MapHub<OperatorHub>("/hubs/operator");
        return app;
    }

    /// <summary>
    /// How the frontend finds silos: Cluster:Mode "AdoNet" reads the cluster's membership from
    /// PostgreSQL (Storage:ConnectionString); otherwise Cluster:Gateways lists gateway endpoints
    /// ("127.0.0.1:30000"), and without those it looks for one silo on this machine.
    /// </summary>
    private static void ConfigureCluster(IClientBuilder client, IConfiguration configuration)
    {
        if (ClusterTls.FromConfiguration(configuration) is { } tls)
        {
            client.UseTls(tls.Apply);
        }

        var cluster = configuration.GetSection("Cluster");
        var clusterId = cluster["ClusterId"] ?? "orleans-support";
        var serviceId = cluster["ServiceId"] ?? "orleans-support";
        var gateways = cluster.GetSection("Gateways").Get<string[]>() ?? [];
        switch (cluster["Mode"] ?? "Localhost")
        {
            case var mode when mode.Equals("AdoNet", StringComparison.OrdinalIgnoreCase):
                var connectionString = configuration["Storage:ConnectionString"];
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Cluster:Mode AdoNet needs Storage:ConnectionString (the cluster's PostgreSQL database).");
                }

                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
                break;
            case var mode when mode.Equals("Localhost", StringComparison.OrdinalIgnoreCase) && gateways.Length == 0:
                client.UseLocalhostClustering(cluster.GetValue("GatewayPort", 30000), serviceId, clusterId);
                return;
            case var mode when mode.Equals("Localhost", StringComparison.OrdinalIgnoreCase):
                client.UseStaticClustering([.. gateways.Select(ParseGateway)]);
                break;
            case var mode:
                throw new InvalidOperationException($"Cluster:Mode '{mode}' is not one of: Localhost, AdoNet.");
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
    }

    private static IPEndPoint ParseGateway(string text) =>
        IPEndPoint.TryParse(text, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Cluster:Gateways entry '{text}' is not an IP:port endpoint.");
}
