namespace OrleansSupport.Storage;

public static class StorageNames
{
    /// <summary>The grain storage every grain uses: SQLite by default, PostgreSQL in cluster mode.</summary>
    public const string Default = "support";
}
