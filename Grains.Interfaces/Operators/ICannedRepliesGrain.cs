namespace OrleansSupport.Operators;

/// <summary>The ready-made replies operators insert into a chat (key: the language code), editable by staff.</summary>
[Alias("OrleansSupport.Operators.ICannedRepliesGrain")]
public interface ICannedRepliesGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<string[]> Get();

    /// <summary>Replaces the list (the editor saves it whole).</summary>
    [Alias("Set")]
    Task<string[]> Set(string[] replies);
}
