using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansSupport.Silo;

// appsettings.json sits next to the binaries; the working directory may be anywhere.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.UseOrleans(silo => silo
    .UseSupportClustering(builder.Configuration)
    .AddOrleansSupport(builder.Configuration));

await builder.Build().RunAsync();
