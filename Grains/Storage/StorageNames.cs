namespace OrleansSupport.Storage;

public static class StorageNames
{
    /// <summary>The grain storage every grain uses: SQLite by default, PostgreSQL in cluster mode.</summary>
    public const string Default = "support";

    /// <summary>Chat sessions: written once per message, so their writes are committed many at a time.</summary>
    public const string Sessions = "support-sessions";
}
