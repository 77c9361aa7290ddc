using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using OrleansSupport.HelpCenter;
using OrleansSupport.Presence;
using OrleansSupport.Push;
using OrleansSupport.Queues;
using OrleansSupport.ServiceDefaults;
using OrleansSupport.Sessions;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;
using OrleansSupport.Storage;

namespace OrleansSupport.Silo;

public static class SupportSiloBuilderExtensions
{
    private const string AdoNetInvariantSqlite = "System.Data.SQLite";
    private const string AdoNetInvariantPostgres = "Npgsql";

    /// <summary>
    /// Everything a silo of OrleansSupport needs besides clustering: grain storage (SQLite or PostgreSQL,
    /// schema applied first), reminders, the push dispatcher, the customer presence checks, the catalog and the
    /// language settings.
    /// Shared by the real host and the test clusters.
    /// </summary>
    public static ISiloBuilder AddOrleansSupport(this ISiloBuilder silo, IConfiguration configuration)
    {
        var hosting = SiloHostingOptions.Read(configuration);
        var invariant = hosting.Storage == StorageProvider.PostgreSQL ? AdoNetInvariantPostgres : AdoNetInvariantSqlite;
        if (hosting.Storage == StorageProvider.PostgreSQL)
        {
            PostgresSchema.Apply(hosting.ConnectionString);
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = hosting.ConnectionString;
            });
        }
        else
        {
            SqliteSchema.Apply(hosting.ConnectionString);
            // One machine, one file: reminders only need to outlive an activation, not the silo.
            silo.UseInMemoryReminderService();
        }

        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = hosting.DirectoryCacheSize);
        silo.Services.AddSingleton<IGrainStorageSerializer, CompactStateSerializer>();
        AddGrainStorage(silo, hosting, invariant);

        // The Orleans Dashboard's data side; its pages are served by the frontends, to supervisors only.
        silo.AddDashboard();
        silo.Services.AddSupportLanguages(configuration);
        silo.Services.Configure<OrleansSupport.Operators.OperatorPresenceOptions>(configuration.GetSection(OrleansSupport.Operators.OperatorPresenceOptions.SectionName));
        silo.Services.AddValidatedSettings<ChatMessageLimitOptions>(configuration, ChatMessageLimitOptions.SectionName);
        silo.Services.AddValidatedSettings<EndedChatOptions>(configuration, EndedChatOptions.SectionName);
        silo.Services.AddValidatedSettings<OrleansSupport.Email.EmailInboxOptions>(configuration, OrleansSupport.Email.EmailInboxOptions.SectionName);
        silo.Services.AddValidatedSettings<CustomerPresenceOptions>(configuration, CustomerPresenceOptions.SectionName);
        silo.Services.AddHelpCatalog(configuration);
        silo.Services.AddSingleton<LiveFrontends>();
        silo.Services.AddSingleton<CustomerPresence>();
        silo.Services.AddSingleton<PushDispatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<PushDispatcher>());
        return silo;
    }

    /// <summary>
    /// Localhost clustering for the embedded default, or membership in PostgreSQL for a cluster, whose silos
    /// and frontends then talk over mutual TLS only (<see cref="ClusterTls"/>).
    /// </summary>
    public static ISiloBuilder UseSupportClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var hosting = SiloHostingOptions.Read(configuration);
        if (ClusterTls.FromConfiguration(configuration) is { } tls)
        {
            silo.UseTls(tls.Apply);
        }

        if (hosting.Clustering == ClusteringMode.Localhost)
        {
            return silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, serviceId: hosting.ServiceId, clusterId: hosting.ClusterId);
        }

        return silo
            .UseAdoNetClustering(o =>
            {
                o.Invariant = AdoNetInvariantPostgres;
                o.ConnectionString = hosting.ConnectionString;
            })
            .ConfigureEndpoints(hosting.AdvertisedAddress, hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: false)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = hosting.ClusterId;
                o.ServiceId = hosting.ServiceId;
            })
            // A dead silo's customers wait until it is declared dead; probe faster than the default 5 s x 3
            // so their grains come back within seconds.
            .Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 3;
            });
    }

    private static void AddGrainStorage(ISiloBuilder silo, SiloHostingOptions hosting, string invariant)
    {
        // Chat sessions, the hottest state (one write per message), and the queues share one writer that
        // commits many writes together.
        silo.Services.AddSingleton(sp => new GroupCommitWriter(hosting.Storage, hosting.ConnectionString, sp.GetRequiredService<ILogger<GroupCommitWriter>>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Sessions, (sp, _) =>
        {
            IGrainStorage sessions = new GroupCommitGrainStorage(
                sp.GetRequiredService<GroupCommitWriter>(), hosting.Storage, hosting.ConnectionString, hosting.ServiceId,
                sp.GetRequiredService<IGrainStorageSerializer>());
            return hosting.WriteFailureRate > 0 ? new FaultInjectingGrainStorage(sessions, hosting.WriteFailureRate) : sessions;
        });

        // Queues store a row per waiting customer, so a change does not rewrite the whole line. Keyed by
        // Orleans' service id, as its grain storage keys the other grains.
        silo.Services.AddSingleton<IQueueStore>(sp =>
        {
            IQueueStore queues = new SqlQueueStore(
                sp.GetRequiredService<GroupCommitWriter>(), hosting.Storage, hosting.ConnectionString, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<IGrainStorageSerializer>());
            return hosting.WriteFailureRate > 0 ? new FaultInjectingQueueStore(queues, hosting.WriteFailureRate) : queues;
        });

        // The e-mail inbox stores a row per request, so it is read a page at a time and trimmed by age.
        silo.Services.AddSingleton<OrleansSupport.Email.IEmailInboxStore>(sp => new SqlEmailInboxStore(
            hosting.Storage, hosting.ConnectionString, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<IGrainStorageSerializer>()));

        if (hosting.WriteFailureRate <= 0)
        {
            silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = hosting.ConnectionString;
            });
            return;
        }

        const string inner = StorageNames.Default + "-unreliable";
        silo.AddAdoNetGrainStorage(inner, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = hosting.ConnectionString;
        });
        silo.Services.AddKeyedSingleton<IGrainStorage>(
            StorageNames.Default,
            (sp, _) => new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(inner), hosting.WriteFailureRate));
    }
}
