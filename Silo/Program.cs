using OrleansSupport.ServiceDefaults;
using OrleansSupport.Silo;

// appsettings.json sits next to the binaries; the working directory may be anywhere.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

// The silo serves only /alive, /health and /metrics over HTTP, on loopback unless configured otherwise.
builder.WebHost.UseUrls(builder.Configuration["Health:Urls"] ?? "http://127.0.0.1:18080");
builder.UseOrleans(silo => silo
    .UseSupportClustering(builder.Configuration)
    .AddOrleansSupport(builder.Configuration));
builder.Services.AddSupportHealth();
builder.Services.AddHeapCompaction(builder.Configuration);
builder.Services.AddSupportTelemetry();

var app = builder.Build();
app.MapSupportHealth();
app.MapSupportTelemetry();
await app.RunAsync();
