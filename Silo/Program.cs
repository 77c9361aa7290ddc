using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansSupport.Silo;

// appsettings.json sits next to the binaries; the working directory may be anywhere.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
var orleans = builder.Configuration.GetSection("Orleans");
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(
        siloPort: orleans.GetValue("SiloPort", 11111),
        gatewayPort: orleans.GetValue("GatewayPort", 30000),
        serviceId: orleans["ServiceId"] ?? "orleans-support",
        clusterId: orleans["ClusterId"] ?? "orleans-support")
    .AddOrleansSupport(builder.Configuration));

await builder.Build().RunAsync();
