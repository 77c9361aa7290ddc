using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSupport.HelpCenter;

public static class HelpCatalogServiceCollectionExtensions
{
    /// <summary>The languages every catalog text must be written in: those of the customer pages.</summary>
    public static readonly string[] CatalogLanguages = ["en", "ru"];

    /// <summary>
    /// Loads and validates the catalog now, while the host is being built: a broken catalog stops start-up
    /// with every problem named. "Support:HelpCenterCatalog" may point at another file.
    /// </summary>
    public static IServiceCollection AddHelpCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        var catalog = HelpCatalogLoader.Load(configuration["Support:HelpCenterCatalog"], CatalogLanguages);
        return services.AddSingleton(catalog);
    }
}
