using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansSupport.Dashboard;
using OrleansSupport.WebFrontend.Accounts;
using OrleansSupport.WebFrontend.HelpCenter;

namespace OrleansSupport.WebFrontend.Dashboard;

/// <summary>The supervisors' live numbers, and their run-time changes to operators' capacity.</summary>
public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var supervisors = app.MapGroup("/api").RequireAuthorization(p => p.RequireRole(SupportRoles.Supervisor));
        supervisors.MapGet("/dashboard", GetAsync);
        supervisors.MapPut("/operators/{userName}/capacity", SetCapacityAsync);
        supervisors.MapPut("/languages/{code}/hours", SetHoursAsync);
        supervisors.MapDelete("/languages/{code}/hours", ResetHoursAsync);
        return app;
    }

    public sealed record QueueView(string Language, string Name, bool Open, HoursBody Hours, QueueStats Stats);

    public sealed record HoursBody(bool AlwaysOpen, string? Opens, string? Closes);

    public sealed record OperatorRow(string UserName, string DisplayName, bool Online, bool Available, int ActiveChats, int Capacity, string[] Languages);

    public sealed record OperatorCounts(int Online, int Busy, int Away, OperatorRow[] List);

    public sealed record DashboardView(DateTimeOffset GeneratedAt, QueueView[] Queues, OperatorCounts Operators, int ChatsActive, RatingStats Ratings);

    public sealed record CapacityBody(int Capacity);

    private static async Task<Ok<DashboardView>> GetAsync(
        IGrainFactory grains, IOptions<LanguageOptions> languages, LanguageHoursCache hours, [FromKeyedServices(SupportClock.Key)] TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var queues = await Task.WhenAll(languages.Value.Languages.Select(async l =>
        {
            var effective = await hours.GetAsync(l.Code);
            return new QueueView(
                l.Code, l.Name, effective.IsOpenAt(now), new HoursBody(effective.AlwaysOpen, effective.Opens, effective.Closes),
                await grains.GetGrain<IQueueGrain>(l.Code).GetStats());
        }));

        // Every account that has ever started work; an operator who never did has nothing to show.
        var accounts = await grains.GetGrain<IAccountDirectoryGrain>(0).List();
        var rows = (await Task.WhenAll(accounts.Select(async a => (Account: a, View: await grains.GetGrain<IOperatorGrain>(a.UserName).GetView()))))
            .Where(r => r.View.Languages.Length > 0)
            .Select(r => new OperatorRow(
                r.Account.UserName, r.Account.DisplayName, r.View.Online, r.View.Available, r.View.ActiveChats.Length, r.View.Capacity, r.View.Languages))
            .ToArray();
        var online = rows.Where(r => r.Online).ToList();
        var operators = new OperatorCounts(
            online.Count,
            online.Count(r => r.ActiveChats >= r.Capacity),
            online.Count(r => !r.Available),
            rows);
        var ratings = await grains.GetGrain<IRatingStatsGrain>(0).Get();
        return TypedResults.Ok(new DashboardView(now, queues, operators, rows.Sum(r => r.ActiveChats), ratings));
    }

    /// <summary>A supervisor changes a queue's hours at run time; they apply at once on every host.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetHoursAsync(
        string code, HoursBody body, IGrainFactory grains, IOptions<LanguageOptions> languages, LanguageHoursCache hours)
    {
        if (!languages.Value.IsKnown(code))
        {
            return TypedResults.Problem("Unknown language.", statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            await grains.GetGrain<ILanguageHoursGrain>(code).Set(new LanguageHours(body.AlwaysOpen, body.Opens, body.Closes));
        }
        catch (SupportException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        hours.Forget(code);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetHoursAsync(
        string code, IGrainFactory grains, IOptions<LanguageOptions> languages, LanguageHoursCache hours)
    {
        if (!languages.Value.IsKnown(code))
        {
            return TypedResults.Problem("Unknown language.", statusCode: StatusCodes.Status404NotFound);
        }

        await grains.GetGrain<ILanguageHoursGrain>(code).Clear();
        hours.Forget(code);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<OperatorView>, ProblemHttpResult>> SetCapacityAsync(string userName, CapacityBody body, IGrainFactory grains)
    {
        var name = AccountRules.Normalize(userName);
        if (!AccountRules.IsUserName(name))
        {
            return TypedResults.Problem("No operator works under that name.", statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IOperatorGrain>(name).SetCapacity(body.Capacity));
        }
        catch (SupportException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.Code == "unknown-operator" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
    }
}
