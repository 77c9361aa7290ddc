using Microsoft.AspNetCore.Identity;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// Creates the first supervisor from configuration (Accounts:Supervisor:UserName / Password / DisplayName)
/// when it does not exist yet, so a new deployment can be logged into. The password comes from
/// configuration only; nothing is created when it is not set.
/// </summary>
public sealed partial class FirstSupervisor(
    IGrainFactory grains, IConfiguration configuration, IPasswordHasher<AccountView> hasher, ILogger<FirstSupervisor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var section = configuration.GetSection("Accounts:Supervisor");
        var userName = AccountRules.Normalize(section["UserName"]);
        var password = section["Password"];
        var displayName = section["DisplayName"] ?? "Supervisor";
        if (string.IsNullOrEmpty(section["UserName"]) || string.IsNullOrEmpty(password))
        {
            return;
        }

        if (AccountRules.Validate(userName, displayName, password) is { Count: > 0 } problems)
        {
            LogInvalid(string.Join(" ", problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
            return;
        }

        // The cluster may still be starting: try until it answers.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var account = grains.GetGrain<IAccountGrain>(userName);
                if (await account.GetCredentials() is null)
                {
                    var draft = new AccountView(userName, displayName, AccountRole.Supervisor);
                    await account.Create(displayName, hasher.HashPassword(draft, password), AccountRole.Supervisor);
                    LogCreated(userName);
                }

                return;
            }
            catch (SupportException ex) when (ex.Code == "account-exists")
            {
                return; // another frontend created it a moment ago
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetry(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first supervisor account {UserName}")]
    private partial void LogCreated(string userName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Accounts:Supervisor is not acceptable: {Problems}")]
    private partial void LogInvalid(string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The first supervisor account could not be checked yet; retrying")]
    private partial void LogRetry(Exception ex);
}
