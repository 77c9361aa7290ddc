using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSupport.HelpCenter;
using OrleansSupport.Push;
using OrleansSupport.Silo.Storage;
using OrleansSupport.Storage;

namespace OrleansSupport.Silo;

public static class SupportSiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo of OrleansSupport needs besides clustering: grain storage, the push dispatcher,
    /// the clock and the language settings. Shared by the real host and the test clusters.
    /// </summary>
    public static ISiloBuilder AddOrleansSupport(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration["Storage:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Storage:ConnectionString is not set.");
        }

        SqliteSchema.Apply(connectionString);
        silo.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = "System.Data.SQLite";
            options.ConnectionString = connectionString;
        });

        silo.Services.AddSupportLanguages(configuration);
        silo.Services.AddHelpCatalog(configuration);
        silo.Services.AddSingleton<PushDispatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<PushDispatcher>());
        return silo;
    }
}
