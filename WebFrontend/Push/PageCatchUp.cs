using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Push;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Tells every page on this frontend to fetch what it may have missed (customers resume by sequence,
/// consoles reload their chats), after pushes to this frontend may have been lost: a silo went away, or
/// the directory did not list us. Pages wait a random part of the spread first, so thousands of them do
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

    /// <summary>Waits until every silo pushes to this frontend again, then tells the pages.</summary>
    public async Task AfterListedEverywhereAsync(CancellationToken cancellation)
    {
        await Task.Delay(FrontendListing.SeenEverywhereWithin, cancellation);
        var pages = customerConnections.Count + operatorConnections.Count;
        var spread = TimeSpan.FromSeconds(Math.Max(MinimumSpread.TotalSeconds, (double)pages / CatchUpsPerSecond));
        LogCatchUp(pages, spread.TotalMilliseconds);
        var milliseconds = (int)spread.TotalMilliseconds;
        await Task.WhenAll(customers.Clients.All.CatchUp(milliseconds), operators.Clients.All.CatchUp(milliseconds));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushes may have been lost: {Pages} pages told to catch up within {SpreadMs} ms")]
    private partial void LogCatchUp(int pages, double spreadMs);
}
