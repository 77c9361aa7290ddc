using OrleansSupport.Storage;

namespace OrleansSupport.Accounts;

/// <inheritdoc cref="IAccountDirectoryGrain"/>
public sealed class AccountDirectoryGrain(
    [PersistentState("account-directory", StorageNames.Default)] IPersistentState<AccountDirectoryState> state) : Grain, IAccountDirectoryGrain
{
    public async Task Add(AccountView account)
    {
        if (state.State.Accounts.Exists(a => a.UserName == account.UserName))
        {
            return; // a retried create lists the account once
        }

        state.State.Accounts.Add(account);
        await state.WriteStateAsync();
    }

    public Task<AccountView[]> List() => Task.FromResult(state.State.Accounts.ToArray());

    public async Task Update(AccountView account)
    {
        var index = state.State.Accounts.FindIndex(a => a.UserName == account.UserName);
        if (index < 0 || state.State.Accounts[index] == account)
        {
            return;
        }

        state.State.Accounts[index] = account;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("OrleansSupport.AccountDirectoryState")]
public sealed class AccountDirectoryState
{
    [Id(0)] public List<AccountView> Accounts { get; set; } = [];
}
