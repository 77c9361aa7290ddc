namespace OrleansSupport.ScalingModel;

/// <summary>One unit cost, and the figure of docs/benchmarks.md it was derived from.</summary>
public sealed record MeasuredCost
{
    public required double Value { get; init; }

    public required string Unit { get; init; }

    public required CostSource Source { get; init; }

    /// <summary>The arithmetic from the cited figures to <see cref="Value"/>.</summary>
    public required string Derivation { get; init; }
}

/// <summary>Where a cost was measured: the commit or date the document gives, and its words.</summary>
public sealed record CostSource
{
    public required string MeasuredAt { get; init; }

    public required IReadOnlyList<Citation> Cites { get; init; }
}

/// <summary>Text of docs/benchmarks.md (whitespace aside) under the heading named <see cref="Section"/>.</summary>
public sealed record Citation
{
    public required string Section { get; init; }

    public required string Text { get; init; }
}
