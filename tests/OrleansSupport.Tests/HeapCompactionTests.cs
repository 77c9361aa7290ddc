using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansSupport.ServiceDefaults;

namespace OrleansSupport.Tests;

/// <summary>When a host compacts its GC heap: only once gen2 is a third holes, and never for small heaps.</summary>
public sealed class HeapCompactionTests
{
    private const long Mb = 1048576;

    private static readonly HeapCompactionOptions Defaults = new();

    [Theory]
    [InlineData(40, 110, true)]   // the soak's silo: 40 MB of holes in a 110 MB gen2
    [InlineData(32, 69, true)]
    [InlineData(20, 110, false)]  // holes, but under a third of gen2
    [InlineData(10, 20, false)]   // half holes, but too small to be worth a pause
    [InlineData(0, 0, false)]
    public void Gen2_is_compacted_once_its_holes_are_a_third_of_it_and_at_least_16_MB(long holesMb, long gen2Mb, bool compacted) =>
        Assert.Equal(compacted, HeapCompactor.IsWorthCompacting(holesMb * Mb, gen2Mb * Mb, Defaults));

    [Fact]
    public void A_percentage_of_zero_turns_compaction_off()
    {
        var off = new HeapCompactionOptions { CompactAtFragmentationPercent = 0 };

        Assert.False(HeapCompactor.IsWorthCompacting(500 * Mb, 600 * Mb, off));
    }

    [Fact]
    public void Hosts_run_the_compactor_with_the_Memory_settings()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:CompactAtFragmentationPercent"] = "50" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddHeapCompaction(configuration).BuildServiceProvider();

        Assert.Contains(services.GetServices<IHostedService>(), s => s is HeapCompactor);
        var options = services.GetRequiredService<IOptions<HeapCompactionOptions>>().Value;
        Assert.Equal(50, options.CompactAtFragmentationPercent);
        Assert.Equal(16, options.CompactAtFragmentedMb);
    }
}
