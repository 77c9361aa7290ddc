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

    /// <summary>A new password hash (the frontend checked the old password); ends every login, as a sign-out.</summary>
    [Alias("ChangePassword")]
    Task ChangePassword(string passwordHash);

    /// <summary>
    /// A supervisor disables the account (it cannot log in, and every login ends at once, as a sign-out) or
    /// enables it again. Refused with "unknown-account" when there is none.
    /// </summary>
    [Alias("SetDisabled")]
    Task<AccountView> SetDisabled(bool disabled);
}

/// <summary>Every account, for supervisors (key: 0).</summary>
[Alias("OrleansSupport.Accounts.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(AccountView account);

    [Alias("List")]
    Task<AccountView[]> List();

    /// <summary>The account changed (disabled or enabled): its entry is replaced.</summary>
    [Alias("Update")]
    Task Update(AccountView account);
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
    [property: Id(2)] AccountRole Role,
    [property: Id(3)] bool Disabled = false);

/// <summary><see cref="SignedOutAt"/>: logins issued before it are no longer valid.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.AccountCredentials")]
public sealed record AccountCredentials(
    [property: Id(0)] AccountView Account,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] DateTimeOffset SignedOutAt);
