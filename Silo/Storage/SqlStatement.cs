using System.Text;

namespace OrleansSupport.Silo.Storage;

/// <summary>One SQL statement with its parameters, run with others in one transaction by <see cref="SqlStatements"/>.</summary>
public sealed record SqlStatement(string Sql, params (string Name, object Value)[] Parameters)
{
    /// <summary>The bytes its parameter values carry to the database: what a write sends besides its SQL text.</summary>
    public long PayloadBytes => Parameters.Sum(p => p.Value switch
    {
        byte[] bytes => bytes.Length,
        string text => Encoding.UTF8.GetByteCount(text),
        Guid => 16,
        int => 4,
        _ => 8,
    });
}
