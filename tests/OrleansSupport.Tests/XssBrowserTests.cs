using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using OrleansSupport.Email;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests;

/// <summary>
/// Stored XSS: the twenty payloads of <see cref="XssPayloads"/> typed into every field one user fills in
/// and another page shows. Each must come out as exactly its own text, with no element, handler, dialog,
/// script, pop-up or policy violation anywhere on the customer page, the operator console or the dashboard.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class XssBrowserTests(ClusterFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly IReadOnlyList<string> Payloads = XssPayloads.All;

    // The customer side is allowed 2 messages a second, so one every 550 ms never meets the limit.
    private static readonly TimeSpan CustomerPace = TimeSpan.FromMilliseconds(550);

    private const string DisputeQuestion = "refunds.open-dispute";

    private readonly List<XssPage> _pages = [];

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private async Task<XssPage> OpenAsync(string path)
    {
        var page = await XssPage.OpenAsync(browser.Browser, Url(path));
        _pages.Add(page);
        return page;
    }

    private Uri Url(string path) => new(fixture.FrontendUrl, path);

    [Fact]
    public void Every_payload_fits_every_field_it_is_typed_into()
    {
        Assert.Equal(20, Payloads.Count);
        Assert.Equal(Payloads.Count, Payloads.Distinct().Count());
        Assert.All(Payloads, p =>
        {
            Assert.InRange(p.Length, 1, XssPayloads.MaxLength); // display names take 80, panels show 80 uncut
            Assert.Equal(p.Trim(), p); // fields trim what they store
            Assert.DoesNotContain('\n', p); // chat inputs are one line
        });
        Assert.True(string.Join('\n', Payloads).Length <= SupportLimits.MaxRatingCommentLength);
    }

    [Fact]
    public void The_policy_check_refuses_what_would_let_inline_script_run()
    {
        Assert.NotEmpty(CspHeader.InlineScriptProblems(null));
        Assert.NotEmpty(CspHeader.InlineScriptProblems("img-src 'self'"));
        Assert.NotEmpty(CspHeader.InlineScriptProblems("default-src 'self'; script-src 'self' 'unsafe-inline'"));
        Assert.NotEmpty(CspHeader.InlineScriptProblems("default-src 'self' 'unsafe-inline'"));
        Assert.NotEmpty(CspHeader.InlineScriptProblems("script-src 'self'; script-src-attr 'unsafe-inline'"));
        Assert.Empty(CspHeader.InlineScriptProblems("default-src 'self'; script-src 'self'"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/chat.html")]
    [InlineData("/operator.html")]
    [InlineData("/dashboard.html")]
    public async Task Every_page_sends_a_policy_that_forbids_inline_script(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(", ", values) : null;
        Assert.Empty(CspHeader.InlineScriptProblems(policy));
    }

    /// <summary>Gives the other checks teeth: the same payloads rendered as HTML are all caught.</summary>
    [Fact]
    public async Task The_checks_catch_every_markup_payload_a_page_would_render_as_html()
    {
        var page = await OpenAsync("/index.html");
        var markup = Payloads.Where(XssPayloads.IsMarkup).ToList();
        for (var i = 0; i < markup.Count; i++)
        {
            // What a page that used innerHTML would do with the payload (set from the test, not by the page).
            var shownAs = await page.Page.EvaluateAsync<string>(
                "([id, html]) => { const d = document.createElement('div'); d.id = id; d.innerHTML = html; document.body.append(d); return d.textContent; }",
                new object[] { $"control-{i}", markup[i] });
            var made = await page.MarkupAsync($"#control-{i}");
            Assert.True(made.Length > 0 || shownAs != markup[i], $"not caught: {markup[i]}");
        }

        // Blocked handlers are reported, and the policy keeps the canary untouched even then.
        await Eventually.Async(async () => await page.ProblemsAsync(), p => p.Exists(x => x.Contains("script-src", StringComparison.Ordinal)));
        Assert.Null(await page.CanaryAsync());
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(page.AssertInertAsync);
    }

    [Fact]
    public async Task Chat_text_canned_replies_e_mail_requests_and_answers_and_a_rating_comment_stay_text()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var operatorName = $"xss-{_run}-chat";
        await CreateAccountsAsync([(operatorName, Payloads[0], "Operator")]);
        var references = await SubmitEmailRequestsAsync(answeredBy: operatorName);
        var canned = fixture.Grains.GetGrain<ICannedRepliesGrain>("en");
        var cannedBefore = await canned.Get();
        try
        {
            // A customer sends an e-mail request from the help page.
            var help = await OpenAsync("/index.html");
            var formReference = await SendEmailFormAsync(help.Page, Payloads[10]);

            // The operator (whose display name is a payload) starts work and saves payloads as canned replies.
            var op = await OpenAsync("/operator.html");
            await LogInAsync(op.Page, operatorName, TestAccounts.Password);
            await XssPage.AssertTextAsync(op.Page.Locator("#whoami"), $"Signed in as {Payloads[0]} (Operator)");
            await op.Page.Locator("#sign-in").ClickAsync();
            await Expect(op.Page.Locator("#canned-save")).ToBeEnabledAsync();
            await op.Page.Locator("#canned-text").FillAsync(string.Join('\n', Payloads));
            await op.Page.Locator("#canned-save").ClickAsync();
            await Expect(op.Page.Locator("#canned-status")).ToHaveTextAsync($"Saved {Payloads.Count} replies");
            await Expect(op.Page.Locator("#canned-text")).ToHaveValueAsync(string.Join('\n', Payloads));

            // A customer asks for an operator; this operator takes the chat.
            var customer = await OpenAsync("/chat.html?question=payment.charged-twice&language=en");
            await customer.Page.Locator("#livechat-help").ClickAsync();
            await Expect(customer.Page.Locator("#queue-number")).ToBeVisibleAsync();
            await op.Page.Locator("#accept-next").ClickAsync();
            var panel = op.Page.Locator("section.chat-panel");
            await Expect(panel).ToHaveCountAsync(1);
            await Expect(customer.Page.Locator("#send")).ToBeEnabledAsync();

            await ExchangeAsync(customer.Page, panel);

            // A canned reply picked in the panel goes into the reply box as text, and out as text.
            await XssPage.AssertTextsAsync(panel.Locator(".canned-replies option:not([value=''])"), Payloads);
            Assert.Equal(Payloads, await panel.Locator(".canned-replies option:not([value=''])").EvaluateAllAsync<string[]>("os => os.map(o => o.title)"));
            await panel.Locator(".canned-replies").SelectOptionAsync(new SelectOptionValue { Value = "1" });
            await Expect(panel.Locator(".message-input")).ToHaveValueAsync(Payloads[1]);
            await panel.Locator(".message-input").PressAsync("Enter");
            await Expect(panel.Locator(".message-input")).ToHaveValueAsync("");
            string[] fromOperator = [.. Payloads, Payloads[1]];

            await AssertTranscriptAsync(customer.Page.Locator("#transcript"), fromCustomer: Payloads, fromOperator);
            await AssertTranscriptAsync(panel.Locator(".transcript"), fromCustomer: Payloads, fromOperator);

            // The inbox: what customers typed, and what operators answered (one answer typed right here).
            await op.Page.Locator("#load-email").ClickAsync();
            var last = op.Page.Locator($"#email-requests li[data-reference='{references[^1]}']");
            await last.Locator(".email-answer-text").FillAsync(Payloads[^1]);
            await last.Locator(".email-answer-send").ClickAsync();
            for (var i = 0; i < Payloads.Count; i++)
            {
                var item = op.Page.Locator($"#email-requests li[data-reference='{references[i]}']");
                await XssPage.AssertTextAsync(item.Locator(".email-text"), Payloads[i]);
                await XssPage.AssertTextAsync(item.Locator("dd").Nth(3), XssPayloads.AsEmailAddress(Payloads[i]));
                await XssPage.AssertTextAsync(item.Locator(".email-answer"), $"Answered by {operatorName}: {Payloads[i]}");
            }

            var fromForm = op.Page.Locator($"#email-requests li[data-reference='{formReference}']");
            await XssPage.AssertTextAsync(fromForm.Locator(".email-text"), Payloads[10]);
            await XssPage.AssertTextAsync(fromForm.Locator("dd").Nth(3), XssPayloads.AsEmailAddress(Payloads[10]));

            // The chat ends; the customer rates it with every payload in the comment, then comes back to it.
            var token = await customer.Page.EvaluateAsync<string>("localStorage.getItem('orleansSupport.sessionToken')");
            await panel.Locator(".end-chat").ClickAsync();
            await Expect(customer.Page.Locator("#send")).ToBeDisabledAsync();
            await customer.Page.Locator("input[name='rating-score'][value='3']").CheckAsync();
            await customer.Page.Locator("#rating-comment").FillAsync(string.Join('\n', Payloads));
            await customer.Page.Locator("#rating-submit").ClickAsync();
            await XssPage.AssertTextAsync(customer.Page.Locator("#rating-thanks"), "Thank you for your rating: 3/5");
            await customer.AssertInertAsync();

            // Shown again from the stored session rather than from pushes. The page forgot the ended chat's
            // token; put back (as within its day), it opens the chat as stored.
            Assert.Null(await customer.Page.EvaluateAsync<string?>("localStorage.getItem('orleansSupport.sessionToken')"));
            await customer.Page.EvaluateAsync("t => localStorage.setItem('orleansSupport.sessionToken', t)", token);
            await customer.GotoAsync(Url("/chat.html"));
            await Expect(customer.Page.Locator("#rating-thanks")).ToBeVisibleAsync();
            await AssertTranscriptAsync(customer.Page.Locator("#transcript"), fromCustomer: Payloads, fromOperator);

            foreach (var page in new[] { help, op, customer })
            {
                await page.AssertInertAsync();
            }
        }
        finally
        {
            await canned.Set(cannedBefore);
        }
    }

    [Fact]
    public async Task Display_names_stay_text_in_the_account_list_on_the_dashboard_and_in_the_refusal_an_operator_gets()
    {
        // The last one is a supervisor: the dashboard greets them by name instead of refusing them.
        var users = Payloads.Select((p, i) => (UserName: $"xss-{_run}-{i:00}", DisplayName: p, Role: i == Payloads.Count - 1 ? "Supervisor" : "Operator")).ToList();
        await CreateAccountsAsync(users);
        foreach (var (userName, _, _) in users)
        {
            // The dashboard lists accounts that have started work; none of these goes available.
            await fixture.Grains.GetGrain<IOperatorGrain>(userName).Configure(["en"], 1);
        }

        var supervisor = await OpenAsync("/operator.html");
        await LogInAsync(supervisor.Page, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword);
        foreach (var (userName, displayName, _) in users)
        {
            await XssPage.AssertTextAsync(supervisor.Page.Locator($"#accounts li[data-user='{userName}'] .account-name"), displayName);
        }

        await supervisor.AssertInertAsync();

        await supervisor.GotoAsync(Url("/dashboard.html"));
        foreach (var (userName, displayName, _) in users)
        {
            await XssPage.AssertTextAsync(supervisor.Page.Locator($"#operators-table tr[data-user='{userName}'] .op-name"), displayName);
        }

        await supervisor.AssertInertAsync();

        // Each account sees its own name in the console header, and again on the dashboard.
        var staff = await OpenAsync("/operator.html");
        foreach (var (userName, displayName, role) in users)
        {
            var login = await staff.Context.APIRequest.PostAsync(Url("/api/account/login").ToString(),
                new() { DataObject = new { userName, password = TestAccounts.Password } });
            Assert.True(login.Ok, $"login of {userName}: {login.Status}");
            await staff.GotoAsync(Url("/dashboard.html"));
            await XssPage.AssertTextAsync(
                staff.Page.Locator(role == "Supervisor" ? "#whoami" : "#dashboard-denied-reason"),
                role == "Supervisor"
                    ? $"Signed in as {displayName} (Supervisor)"
                    : $"You are signed in as {displayName} (Operator). The dashboard is for supervisors only.");
            await staff.GotoAsync(Url("/operator.html"));
            await XssPage.AssertTextAsync(staff.Page.Locator("#whoami"), $"Signed in as {displayName} ({role})");
            await staff.AssertInertAsync();
        }
    }

    [Fact]
    public async Task Payloads_in_a_chat_link_run_nothing()
    {
        XssPage? page = null;
        for (var i = 0; i < Payloads.Count; i += 2)
        {
            var link = Url($"/chat.html?question={Uri.EscapeDataString(Payloads[i])}&language={Uri.EscapeDataString(Payloads[i + 1])}");
            if (page is null)
            {
                page = await XssPage.OpenAsync(browser.Browser, link);
                _pages.Add(page);
            }
            else
            {
                await page.GotoAsync(link);
            }

            // The link is read (no such language is refused), and nothing of it runs.
            await Expect(page.Page.Locator("#error")).ToContainTextAsync("unknown-language");
            await page.AssertInertAsync();
        }
    }

    // Each side sends every payload, interleaved, at a pace under the per-session message limits.
    private static async Task ExchangeAsync(IPage customer, ILocator panel)
    {
        var pace = Stopwatch.StartNew();
        foreach (var payload in Payloads)
        {
            await customer.Locator("#message-input").FillAsync(payload);
            await customer.Locator("#send").ClickAsync();
            await Expect(customer.Locator("#message-input")).ToHaveValueAsync("");

            await panel.Locator(".message-input").FillAsync(payload);
            await panel.Locator(".message-input").PressAsync("Enter");
            await Expect(panel.Locator(".message-input")).ToHaveValueAsync("");

            var wait = CustomerPace - pace.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            pace.Restart();
        }
    }

    private static async Task AssertTranscriptAsync(ILocator transcript, IReadOnlyList<string> fromCustomer, IReadOnlyList<string> fromOperator)
    {
        await XssPage.AssertTextsAsync(transcript.Locator("li.msg-customer .msg-text"), fromCustomer);
        await XssPage.AssertTextsAsync(transcript.Locator("li.msg-operator .msg-text"), fromOperator);
    }

    private static async Task LogInAsync(IPage page, string userName, string password)
    {
        await page.Locator("#login-user").FillAsync(userName);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
        await Expect(page.Locator("#work-area")).ToBeVisibleAsync();
    }

    /// <summary>Accounts created as a supervisor creates them: through the account API, names as typed.</summary>
    private async Task CreateAccountsAsync(IEnumerable<(string UserName, string DisplayName, string Role)> accounts)
    {
        var cookies = await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = fixture.FrontendUrl };
        foreach (var (userName, displayName, role) in accounts)
        {
            var created = await http.PostAsJsonAsync("/api/accounts", new { userName, displayName, password = TestAccounts.Password, role });
            Assert.True(created.IsSuccessStatusCode, $"{userName}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>One request per payload (text and address), all but the last answered with the payload.</summary>
    private async Task<List<string>> SubmitEmailRequestsAsync(string answeredBy)
    {
        var references = new List<string>();
        for (var i = 0; i < Payloads.Count; i++)
        {
            var reference = EmailRequestRules.NewReference();
            var draft = new EmailRequestDraft("en", DisputeQuestion, XssPayloads.AsEmailAddress(Payloads[i]), $"XSS-{i}", Payloads[i]);
            await fixture.Grains.GetGrain<IEmailRequestGrain>(reference).Submit(draft);
            if (i < Payloads.Count - 1)
            {
                await fixture.Grains.GetGrain<IEmailInboxGrain>(0).Answer(reference, answeredBy, Payloads[i]);
            }

            references.Add(reference);
        }

        return references;
    }

    /// <summary>Fills in "Email us" on the help page; returns the reference it answers with.</summary>
    private static async Task<string> SendEmailFormAsync(IPage help, string payload)
    {
        await help.Locator("#categories button[data-category='refunds']").ClickAsync();
        await help.Locator($"#questions button[data-question='{DisputeQuestion}']").ClickAsync();
        await help.Locator("#email-us").ClickAsync();
        await help.Locator("#email").FillAsync(XssPayloads.AsEmailAddress(payload));
        await help.Locator("#order-number").FillAsync("B-77812");
        await help.Locator("#email-text").FillAsync(payload);
        await help.Locator("#email-submit").ClickAsync();
        await Expect(help.Locator("#email-reference")).ToContainTextAsync("SR-");
        var shown = await help.Locator("#email-reference").TextContentAsync() ?? "";
        return System.Text.RegularExpressions.Regex.Match(shown, "SR-[2-9A-HJ-NP-Z]{10}").Value;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
        {
            await page.DisposeAsync();
        }
    }
}
