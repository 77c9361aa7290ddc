using OrleansSupport.Email;

namespace OrleansSupport.Tests;

/// <summary>The whole e-mail inbox, page after page, for tests that look for one request among all.</summary>
public static class TestInbox
{
    public static async Task<EmailRequest[]> AllAsync(IGrainFactory grains)
    {
        var inbox = grains.GetGrain<IEmailInboxGrain>(0);
        var all = new List<EmailRequest>();
        EmailRequest[] page;
        do
        {
            page = await inbox.Page(all.Count == 0 ? null : all[^1].Reference, EmailInboxOptions.PageSize);
            all.AddRange(page);
        }
        while (page.Length == EmailInboxOptions.PageSize);

        return [.. all];
    }

    /// <summary>The same through an operator console: the hub's pages, each after the last one's final request.</summary>
    public static async Task<EmailRequest[]> AllAsync(HubConnection console)
    {
        var all = new List<EmailRequest>();
        EmailRequest[] page;
        do
        {
            page = await console.InvokeAsync<EmailRequest[]>("GetEmailRequests", all.Count == 0 ? null : all[^1].Reference);
            all.AddRange(page);
        }
        while (page.Length == EmailInboxOptions.PageSize);

        return [.. all];
    }
}
