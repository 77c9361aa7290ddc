using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansSupport;

/// <summary>Settings that can list everything wrong with them, each problem naming its configuration key.</summary>
public interface IValidatedSettings
{
    List<string> Validate();
}

public static class ValidatedSettingsExtensions
{
    /// <summary>Binds a configuration section and refuses to start on broken settings, naming every problem at once.</summary>
    public static OptionsBuilder<TSettings> AddValidatedSettings<TSettings>(
        this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TSettings : class, IValidatedSettings
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TSettings>, SettingsValidation<TSettings>>());
        return services.AddOptions<TSettings>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
    }

    private sealed class SettingsValidation<TSettings> : IValidateOptions<TSettings>
        where TSettings : class, IValidatedSettings
    {
        public ValidateOptionsResult Validate(string? name, TSettings options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
