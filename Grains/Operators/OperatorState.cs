namespace OrleansSupport.Operators;

[GenerateSerializer, Alias("OrleansSupport.OperatorState")]
public sealed class OperatorState
{
    [Id(0)] public List<string> Languages { get; set; } = [];
    [Id(1)] public int Capacity { get; set; } = 1;
    [Id(2)] public bool Available { get; set; }
    [Id(3)] public List<Guid> ActiveChats { get; set; } = [];
}
