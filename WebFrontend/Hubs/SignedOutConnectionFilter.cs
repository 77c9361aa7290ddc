using Microsoft.AspNetCore.SignalR;
using OrleansSupport.WebFrontend.Accounts;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// The login cookie is checked when an operator connects, but a console stays connected for hours. A
/// sign-out (on any frontend) closes the account's consoles at once through a push; one that push missed
/// (a console connected meanwhile, a push batch lost) is closed here at its next call. The check is
/// repeated at most every <see cref="RecheckAfter"/> per connection, so a busy operator costs little.
/// </summary>
public sealed class SignedOutConnectionFilter(IGrainFactory grains) : IHubFilter
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(2);
    private const string CheckedAtKey = "login-checked-at";

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        if (invocationContext.Hub is OperatorHub && DueForCheck(context))
        {
            if (!await LoginValidity.IsValidAsync(context.User, grains))
            {
                context.Abort();
                throw new HubException("signed-out: This login has ended; please log in again.");
            }

            context.Items[CheckedAtKey] = TimeProvider.System.GetTimestamp();
        }

        return await next(invocationContext);
    }

    private static bool DueForCheck(HubCallerContext context) =>
        context.Items.TryGetValue(CheckedAtKey, out var at) is false
        || at is not long timestamp
        || TimeProvider.System.GetElapsedTime(timestamp) >= RecheckAfter;
}
