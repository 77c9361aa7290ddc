using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Push;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Tells every page on this frontend to fetch what it may have missed (customers resume by sequence,
/// consoles reload their chats), after pushes to this frontend may have been lost: a silo went away, or
/// the directory did not list us, or a silo's line to this frontend overflowed or a call to it failed. Pages wait a random part of the spread first, so thousands of them do
/// not ask at the same instant.
/// </summary>
public sealed partial class PageCatchUp(
    IHubContext<CustomerHub, ICustomerClient> customers,
    IHubContext<OperatorHub, IOperatorClient> operators,
    CustomerConnections customerConnections,
    OperatorConnections operatorConnections,
    ILogger<PageCatchUp> logger)
{
    /// <summary>Catch-ups a frontend asks of the silos per second at most, spread over the pages.</summary>
    private const int CatchUpsPerSecond = 2_000;

    private static readonly TimeSpan MinimumSpread = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Losses reported while the pages are catching up: one place is enough, since a catch-up asked after a
    /// loss covers it; a second one runs when the first one's spread has passed.
    /// </summary>
    private readonly Channel<bool> _lossesReported = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private int _lossLoopStarted;

    /// <summary>Waits until every silo pushes to this frontend again, then tells the pages.</summary>
    public async Task AfterListedEverywhereAsync(CancellationToken cancellation)
    {
        await Task.Delay(FrontendListing.SeenEverywhereWithin, cancellation);
        await TellPagesAsync("a silo pushes here again");
    }

    /// <summary>A silo reports that batches meant for this frontend may have been lost.</summary>
    public void AfterLostPushes()
    {
        _lossesReported.Writer.TryWrite(true);
        if (Interlocked.Exchange(ref _lossLoopStarted, 1) == 0)
        {
            _ = Task.Run(TellPagesAfterLossesAsync);
        }
    }

    private async Task TellPagesAfterLossesAsync()
    {
        await foreach (var _ in _lossesReported.Reader.ReadAllAsync())
        {
            try
            {
                await Task.Delay(await TellPagesAsync("a silo lost push batches"));
            }
            catch (Exception ex)
            {
                LogCatchUpFailed(ex);
            }
        }
    }

    /// <summary>Tells every page here to catch up within a spread that keeps the reads under the pace; returns it.</summary>
    private async Task<TimeSpan> TellPagesAsync(string reason)
    {
        var pages = customerConnections.Count + operatorConnections.Count;
        var spread = TimeSpan.FromSeconds(Math.Max(MinimumSpread.TotalSeconds, (double)pages / CatchUpsPerSecond));
        LogCatchUp(reason, pages, spread.TotalMilliseconds);
        var milliseconds = (int)spread.TotalMilliseconds;
        await Task.WhenAll(customers.Clients.All.CatchUp(milliseconds), operators.Clients.All.CatchUp(milliseconds));
        return spread;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushes may have been lost ({Reason}): {Pages} pages told to catch up within {SpreadMs} ms")]
    private partial void LogCatchUp(string reason, int pages, double spreadMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pages could not be told to catch up")]
    private partial void LogCatchUpFailed(Exception ex);
}
