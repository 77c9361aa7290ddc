using OrleansSupport.Push;
using OrleansSupport.Storage;

namespace OrleansSupport.Accounts;

/// <inheritdoc cref="IAccountGrain"/>
/// <remarks>
/// Sign-out times are compared with the issue times the frontends write into cookies, so both read the
/// real clock, never the support clock that tests move to try opening hours. A sign-out is told to every
/// frontend (it is rare, and the account does not know where its consoles are): they close the account's
/// consoles at once, so a copy of the cookie left open receives nothing more. A password change and
/// disabling the account sign out the same way.
/// </remarks>
public sealed class AccountGrain(
    [PersistentState("account", StorageNames.Default)] IPersistentState<AccountState> state,
    PushDispatcher push) : Grain, IAccountGrain
{
    public async Task<AccountView> Create(string displayName, string passwordHash, AccountRole role)
    {
        var userName = this.GetPrimaryKeyString();
        if (!AccountRules.IsUserName(userName) || string.IsNullOrWhiteSpace(displayName) || string.IsNullOrEmpty(passwordHash))
        {
            throw new SupportException("invalid-account", "The account's name, display name or password is not acceptable.");
        }

        if (state.State.Account is not null)
        {
            throw new SupportException("account-exists", "An account with this name exists already.");
        }

        var account = new AccountView(userName, displayName.Trim(), role);
        state.State = new AccountState { Account = account, PasswordHash = passwordHash };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountDirectoryGrain>(0).Add(account);
        return account;
    }

    public Task<AccountCredentials?> GetCredentials() =>
        Task.FromResult(state.State.Account is { } account
            ? new AccountCredentials(account, state.State.PasswordHash, state.State.SignedOutAt)
            : null);

    public async Task SignOutEverywhere()
    {
        if (state.State.Account is not null)
        {
            state.State.SignedOutAt = TimeProvider.System.GetUtcNow();
            await state.WriteStateAsync();
            PublishSignedOut();
        }
    }

    public async Task ChangePassword(string passwordHash)
    {
        Existing();
        if (string.IsNullOrEmpty(passwordHash))
        {
            throw new SupportException("invalid-account", "The password is not acceptable.");
        }

        state.State.PasswordHash = passwordHash;
        state.State.SignedOutAt = TimeProvider.System.GetUtcNow();
        await state.WriteStateAsync();
        PublishSignedOut();
    }

    public async Task<AccountView> SetDisabled(bool disabled)
    {
        var account = Existing() with { Disabled = disabled };
        if (account == state.State.Account)
        {
            return account;
        }

        state.State.Account = account;
        if (disabled)
        {
            state.State.SignedOutAt = TimeProvider.System.GetUtcNow();
        }

        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountDirectoryGrain>(0).Update(account);
        if (disabled)
        {
            PublishSignedOut();
        }

        return account;
    }

    private AccountView Existing() =>
        state.State.Account ?? throw new SupportException("unknown-account", "There is no such account.");

    private void PublishSignedOut() =>
        push.Publish(new OperatorEvent(state.State.Account!.UserName, OperatorEventKind.SignedOut, Guid.Empty), to: null);
}

[GenerateSerializer, Alias("OrleansSupport.AccountState")]
public sealed class AccountState
{
    [Id(0)] public AccountView? Account { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    [Id(2)] public DateTimeOffset SignedOutAt { get; set; }
}
