namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>Role names as they appear in login cookies and [Authorize] attributes.</summary>
public static class SupportRoles
{
    public const string Operator = nameof(AccountRole.Operator);
    public const string Supervisor = nameof(AccountRole.Supervisor);

    /// <summary>Supervisors can do everything operators can.</summary>
    public const string Staff = Operator + "," + Supervisor;

    /// <summary>When the login was issued, to refuse cookies older than the account's last sign-out.</summary>
    public const string IssuedAtClaim = "issued_at";
}
