using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansSupport;

public static class LanguageServiceCollectionExtensions
{
    /// <summary>Languages, hours and the support clock, validated at start; the same on silos and frontends.</summary>
    public static IServiceCollection AddSupportLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<LanguageOptions>(configuration, LanguageOptions.SectionName);
        services.TryAddKeyedSingleton(SupportClock.Key, TimeProvider.System);
        return services;
    }
}
