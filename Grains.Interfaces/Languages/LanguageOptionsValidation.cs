using Microsoft.Extensions.Options;

namespace OrleansSupport;

/// <summary>Stops start-up on broken language settings, naming every problem at once.</summary>
public sealed class LanguageOptionsValidation : IValidateOptions<LanguageOptions>
{
    public ValidateOptionsResult Validate(string? name, LanguageOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
