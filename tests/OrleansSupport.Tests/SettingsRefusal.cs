using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansSupport.Tests;

public static class SettingsRefusal
{
    /// <summary>The error a host stops with when <paramref name="settings"/> are bound as its section of <typeparamref name="TSettings"/>.</summary>
    public static OptionsValidationException Of<TSettings>(string sectionName, Dictionary<string, string?> settings)
        where TSettings : class, IValidatedSettings
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddValidatedSettings<TSettings>(configuration, sectionName).Services
            .BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TSettings>>().Value);
    }
}
