using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Orleans.Configuration;
using OrleansSupport.HelpCenter;
using OrleansSupport.WebFrontend.HelpCenter;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Push;
using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.WebFrontend;

/// <summary>Builds the web frontend: static pages, the two hubs, and the Orleans client behind them.</summary>
public static class FrontendApp
{
    /// <summary>SignalR's default; chat messages are at most 4,000 characters, so 32 KB leaves room.</summary>
    public const long MaxReceiveBytes = 32 * 1024;

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.UseOrleansClient(client => ConfigureCluster(client, builder.Configuration));

        builder.Services.AddSupportLanguages(builder.Configuration);
        builder.Services.AddHelpCatalog(builder.Configuration);
        builder.Services.AddSingleton<LocalWaiters>();
        builder.Services.AddSingleton<QueueReplicas>();
        builder.Services.AddSingleton<FrontendObserver>();
        builder.Services.AddHostedService<FrontendRegistration>();
        builder.Services.AddHostedService<QueuePositionPublisher>();
        builder.Services
            .AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = MaxReceiveBytes;
                o.AddFilter<SupportErrorFilter>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // Pages load only their own scripts: no inline script, so injected markup cannot run.
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next();
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHelpCenterApi();
        app.MapHub<CustomerHub>("/hubs/customer");
        app.MapHub<OperatorHub>("/hubs/operator");
        return app;
    }

    /// <summary>
    /// Orleans:Gateways lists the silos' gateway endpoints ("127.0.0.1:30000"); without it the frontend
    /// looks for one silo on this machine.
    /// </summary>
    private static void ConfigureCluster(IClientBuilder client, IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var gateways = orleans.GetSection("Gateways").Get<string[]>() ?? [];
        if (gateways.Length == 0)
        {
            client.UseLocalhostClustering(
                orleans.GetValue("GatewayPort", 30000),
                orleans["ServiceId"] ?? "orleans-support",
                orleans["ClusterId"] ?? "orleans-support");
            return;
        }

        client.UseStaticClustering([.. gateways.Select(IPEndPoint.Parse)]);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans["ClusterId"] ?? "orleans-support";
            o.ServiceId = orleans["ServiceId"] ?? "orleans-support";
        });
    }
}
