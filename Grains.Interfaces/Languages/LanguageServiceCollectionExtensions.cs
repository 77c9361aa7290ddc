using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansSupport;

public static class LanguageServiceCollectionExtensions
{
    /// <summary>Languages, hours and the support clock, validated at start; the same on silos and frontends.</summary>
    public static IServiceCollection AddSupportLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LanguageOptions>().Bind(configuration.GetSection(LanguageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LanguageOptions>, LanguageOptionsValidation>());
        services.TryAddKeyedSingleton(SupportClock.Key, TimeProvider.System);
        return services;
    }
}
