namespace OrleansSupport.Accounts;

/// <summary>
/// An operator's or supervisor's account (key: the user name, lower case). It stores a password hash made
/// by the frontend (ASP.NET Core's password hasher), never a password.
/// </summary>
[Alias("OrleansSupport.Accounts.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; refused when the name is taken.</summary>
    [Alias("Create")]
    Task<AccountView> Create(string displayName, string passwordHash, AccountRole role);

    /// <summary>The account and its hash, for the frontend that checks a login; null when none exists.</summary>
    [Alias("GetCredentials")]
    Task<AccountCredentials?> GetCredentials();

    /// <summary>Ends every login of this account: cookies issued before now stop working.</summary>
    [Alias("SignOutEverywhere")]
    Task SignOutEverywhere();
}

/// <summary>Every account, for supervisors (key: 0).</summary>
[Alias("OrleansSupport.Accounts.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(AccountView account);

    [Alias("List")]
    Task<AccountView[]> List();
}

[GenerateSerializer, Alias("OrleansSupport.AccountRole")]
public enum AccountRole
{
    Operator = 0,
    Supervisor = 1,
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string UserName,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] AccountRole Role);

/// <summary><see cref="SignedOutAt"/>: logins issued before it are no longer valid.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.AccountCredentials")]
public sealed record AccountCredentials(
    [property: Id(0)] AccountView Account,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] DateTimeOffset SignedOutAt);
