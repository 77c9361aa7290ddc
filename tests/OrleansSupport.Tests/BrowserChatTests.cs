using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests;

/// <summary>The two plain pages, used as a customer and an operator would, in separate browser contexts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BrowserChatTests(ClusterFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private readonly List<string> _refusals = [];

    private async Task<IPage> OpenAsync(IBrowser browser, string path)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _refusals.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(new Uri(fixture.FrontendUrl, path).ToString());
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
        return page;
    }

    private const string ChatWindow = "/chat.html?question=payment.charged-twice&language=en";

    private static async Task AskForOperatorAsync(IPage customer) => await customer.Locator("#livechat-help").ClickAsync();

    /// <summary>A new operator's console, logged in and started (English, the page's defaults).</summary>
    private async Task<IPage> WorkingOperatorAsync(string namePrefix)
    {
        var operatorName = $"{namePrefix}-{Guid.NewGuid():N}"[..24];
        await TestAccounts.EnsureAsync(fixture.Grains, operatorName);
        var op = await OpenAsync(browser.Browser, "/operator.html");
        await op.Locator("#login-user").FillAsync(operatorName);
        await op.Locator("#login-password").FillAsync(TestAccounts.Password);
        await op.Locator("#login-submit").ClickAsync();
        await op.Locator("#sign-in").ClickAsync();
        return op;
    }

    [Fact]
    public async Task A_customer_watches_their_number_move_then_chats_with_an_operator()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var ahead = await OpenAsync(browser.Browser, ChatWindow);
        var customer = await OpenAsync(browser.Browser, ChatWindow);
        await AskForOperatorAsync(ahead);
        await Expect(ahead.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");
        await AskForOperatorAsync(customer);
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 2 in the queue");

        // The customer ahead leaves: the number moves live, without a reload.
        await ahead.Locator("#end").ClickAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

        // A refresh keeps the place.
        await customer.ReloadAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

        await Expect(customer.Locator("#estimated-wait")).ToBeVisibleAsync();

        // An operator logs in, then starts work.
        var operatorName = $"browser-{Guid.NewGuid():N}"[..24];
        await TestAccounts.EnsureAsync(fixture.Grains, operatorName);
        var op = await OpenAsync(browser.Browser, "/operator.html");
        await op.Locator("#login-user").FillAsync(operatorName);
        await op.Locator("#login-password").FillAsync("not the password");
        await op.Locator("#login-submit").ClickAsync();
        await Expect(op.Locator("#login-error")).ToBeVisibleAsync();
        await op.Locator("#login-password").FillAsync(TestAccounts.Password);
        await op.Locator("#login-submit").ClickAsync();
        await Expect(op.Locator("#whoami")).ToContainTextAsync(operatorName);
        await op.Locator("#sign-in").ClickAsync();
        await Expect(op.Locator("#available")).ToBeEnabledAsync();
        await op.Locator("#available").ClickAsync();

        var panel = op.Locator("section.chat-panel");
        await Expect(panel).ToHaveCountAsync(1);
        await Expect(panel.Locator(".chat-question")).ToHaveTextAsync("I was charged twice for one order");
        await Expect(customer.Locator("#queue-number")).ToBeHiddenAsync();
        await Expect(customer.Locator("#send")).ToBeEnabledAsync();

        const string hostile = "<img src=x onerror=\"document.title='pwned'\"> where is my order?";
        await customer.Locator("#message-input").FillAsync(hostile);
        await customer.Locator("#send").ClickAsync();
        await Expect(panel.Locator(".transcript li.msg-customer")).ToHaveTextAsync(new Regex(Regex.Escape(hostile)));
        Assert.Equal(0, await op.Locator(".transcript img").CountAsync());

        // Typing shows on the other side, both ways.
        await panel.Locator(".message-input").PressSequentiallyAsync("It arr");
        await Expect(customer.Locator("#typing")).ToBeVisibleAsync();
        await customer.Locator("#message-input").PressSequentiallyAsync("ok");
        await Expect(panel.Locator(".typing")).ToBeVisibleAsync();
        await customer.Locator("#message-input").FillAsync("");

        await panel.Locator(".message-input").FillAsync("It arrives tomorrow.");
        await panel.Locator(".message-input").PressAsync("Enter");
        await Expect(customer.Locator("#transcript li.msg-operator")).ToHaveTextAsync(new Regex("It arrives tomorrow\\."));
        Assert.NotEqual("pwned", await op.TitleAsync());

        // Go away first, so this operator takes no one else's customers after the test.
        await op.Locator("#available").ClickAsync();
        await Expect(op.Locator("#available")).ToHaveAttributeAsync("aria-pressed", "false");
        await panel.Locator(".end-chat").ClickAsync();
        await Expect(customer.Locator("#send")).ToBeDisabledAsync();

        // After the chat: a rating, and the transcript to keep.
        await customer.Locator("input[name='rating-score'][value='5']").CheckAsync();
        await customer.Locator("#rating-comment").FillAsync("Fast and friendly");
        await customer.Locator("#rating-submit").ClickAsync();
        await Expect(customer.Locator("#rating-thanks")).ToContainTextAsync("5/5");
        var download = await customer.RunAndWaitForDownloadAsync(() => customer.Locator("#download-transcript").ClickAsync());
        var file = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(hostile, file);
        Assert.Contains("It arrives tomorrow.", file);

        // The browser keeps no token of the ended chat: a reload, or the next person here, starts afresh.
        Assert.Null(await customer.EvaluateAsync<string?>("localStorage.getItem('orleansSupport.sessionToken')"));
        await customer.ReloadAsync();
        await Expect(customer.Locator("#livechat-help")).ToBeVisibleAsync();
        Assert.DoesNotContain("It arrives tomorrow.", await customer.Locator("#transcript").InnerTextAsync());
        Assert.Empty(_refusals); // the pages work within their own Content-Security-Policy
    }

    [Fact]
    public async Task A_supervisor_creates_an_operator_in_the_console_and_an_anonymous_visitor_gets_only_the_login_form()
    {
        var anonymous = await OpenAsync(browser.Browser, "/operator.html");
        await Expect(anonymous.Locator("#login-form")).ToBeVisibleAsync();
        await Expect(anonymous.Locator("#work-area")).ToBeHiddenAsync();

        var supervisor = await OpenAsync(browser.Browser, "/operator.html");
        await supervisor.Locator("#login-user").FillAsync(TestAccounts.SupervisorUserName);
        await supervisor.Locator("#login-password").FillAsync(TestAccounts.SupervisorPassword);
        await supervisor.Locator("#login-submit").ClickAsync();
        await Expect(supervisor.Locator("#accounts-section")).ToBeVisibleAsync();
        var newName = $"made-{Guid.NewGuid():N}"[..20];
        await supervisor.Locator("#new-user").FillAsync(newName);
        await supervisor.Locator("#new-display-name").FillAsync("<img src=x onerror=alert(1)>");
        await supervisor.Locator("#new-password").FillAsync("short");
        await supervisor.Locator("#new-account-submit").ClickAsync();
        await Expect(supervisor.Locator("#new-password-error")).ToBeVisibleAsync();
        await supervisor.Locator("#new-password").FillAsync("a long enough password");
        await supervisor.Locator("#new-account-submit").ClickAsync();
        await Expect(supervisor.Locator($"#accounts li[data-user='{newName}']")).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Equal(0, await supervisor.Locator("#accounts img").CountAsync());

        // The new operator logs in elsewhere; the supervisor section is not theirs.
        var created = await OpenAsync(browser.Browser, "/operator.html");
        await created.Locator("#login-user").FillAsync(newName);
        await created.Locator("#login-password").FillAsync("a long enough password");
        await created.Locator("#login-submit").ClickAsync();
        await Expect(created.Locator("#work-area")).ToBeVisibleAsync();
        await Expect(created.Locator("#accounts-section")).ToBeHiddenAsync();

        // They change their password in the console: a weak one is refused under its field, then the
        // login ends and the new password opens the console.
        await created.Locator("#password-change summary").ClickAsync();
        await created.Locator("#current-password").FillAsync("a long enough password");
        await created.Locator("#changed-password").FillAsync("short");
        await created.Locator("#password-submit").ClickAsync();
        await Expect(created.Locator("#changed-password-error")).ToBeVisibleAsync();
        await created.Locator("#changed-password").FillAsync("another long password");
        await created.Locator("#password-submit").ClickAsync();
        await Expect(created.Locator("#login-error")).ToHaveTextAsync("Password changed. Log in with the new password.");
        await created.Locator("#login-user").FillAsync(newName);
        await created.Locator("#login-password").FillAsync("another long password");
        await created.Locator("#login-submit").ClickAsync();
        await Expect(created.Locator("#work-area")).ToBeVisibleAsync();

        // The supervisor disables the account: the operator's open console ends at once, and the login
        // form refuses them until the account is enabled again. Their own account has no such button.
        var row = supervisor.Locator($"#accounts li[data-user='{newName}']");
        await Expect(supervisor.Locator($"#accounts li[data-user='{TestAccounts.SupervisorUserName}'] .account-toggle")).ToHaveCountAsync(0);
        await row.Locator(".account-toggle").ClickAsync();
        await Expect(row.Locator(".account-role")).ToHaveTextAsync("Operator · disabled");
        await Expect(created.Locator("#login-form")).ToBeVisibleAsync();
        await created.Locator("#login-password").FillAsync("another long password");
        await created.Locator("#login-submit").ClickAsync();
        await Expect(created.Locator("#login-error")).ToBeVisibleAsync();
        await Expect(created.Locator("#work-area")).ToBeHiddenAsync();
        await row.Locator(".account-toggle").ClickAsync();
        await Expect(row.Locator(".account-role")).ToHaveTextAsync("Operator");
        await created.Locator("#login-password").FillAsync("another long password");
        await created.Locator("#login-submit").ClickAsync();
        await Expect(created.Locator("#work-area")).ToBeVisibleAsync();

        await created.Locator("#logout").ClickAsync();
        await Expect(created.Locator("#login-form")).ToBeVisibleAsync();
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task The_e_mail_inbox_shows_50_requests_at_a_time_and_the_next_ones_on_request()
    {
        // Sixty requests from yesterday, older than any other test's: the first pages hold them.
        var inbox = fixture.Grains.GetGrain<OrleansSupport.Email.IEmailInboxGrain>(0);
        var yesterday = fixture.Clock.GetUtcNow().AddDays(-1);
        const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // the characters of real reference numbers
        var marker = string.Concat(Enumerable.Range(0, 8).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
        string Reference(int i) => $"SR-{marker}{Alphabet[i / Alphabet.Length]}{Alphabet[i % Alphabet.Length]}";
        for (var i = 0; i < 60; i++)
        {
            await inbox.Add(new OrleansSupport.Email.EmailRequest(
                Reference(i), "en", TestCustomer.ChatQuestion, "buyer@example.com", $"A-{i}", $"Paged {marker} {i}", yesterday.AddSeconds(i)));
        }

        var op = await WorkingOperatorAsync("inbox");
        await op.Locator("#load-email").ClickAsync();

        var items = op.Locator("#email-requests li.email-request");
        await Expect(items).ToHaveCountAsync(50);
        await Expect(op.Locator("#more-email")).ToBeVisibleAsync();
        var before = await items.CountAsync();
        await op.Locator("#more-email").ClickAsync();
        await Expect(items).Not.ToHaveCountAsync(before);

        // Every one of the sixty shows, once, in the order they came.
        var shown = (await op.Locator("#email-requests li.email-request").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.reference)"))
            .Where(r => r.StartsWith($"SR-{marker}", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(Reference), shown);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task An_operator_transfers_a_customer_to_the_russian_queue_and_the_customer_sees_it()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var customer = await OpenAsync(browser.Browser, ChatWindow);
        await AskForOperatorAsync(customer);
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

        var op = await WorkingOperatorAsync("mover");
        await op.Locator("#accept-next").ClickAsync();
        var panel = op.Locator("section.chat-panel");
        await Expect(panel.Locator(".chat-suggestions li")).ToHaveCountAsync(2);

        // A canned reply saved in the editor is offered in the panel and lands in the message box.
        await op.Locator("#canned-language").SelectOptionAsync("en");
        await Expect(op.Locator("#canned-save")).ToBeEnabledAsync();
        await op.Locator("#canned-text").FillAsync("Thanks for waiting!\nLet me check your order.");
        await op.Locator("#canned-save").ClickAsync();
        await Expect(op.Locator("#canned-status")).ToContainTextAsync("2");
        await panel.Locator(".canned-replies").SelectOptionAsync("Thanks for waiting!");
        await Expect(panel.Locator(".message-input")).ToHaveValueAsync("Thanks for waiting!");

        await panel.Locator(".transfer-language").SelectOptionAsync("ru");
        await panel.Locator(".transfer-to-queue").ClickAsync();

        await Expect(panel.Locator(".transfer-to-queue")).ToBeDisabledAsync();
        await Expect(customer.Locator("#transcript li.msg-system").Last).ToContainTextAsync("transferred to another queue");
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");
        Assert.NotNull(await fixture.Grains.GetGrain<IQueueGrain>("ru").PeekOldest());
        Assert.Empty(_refusals);
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
    }

    [Fact]
    public async Task The_dashboard_shows_customers_queueing_without_a_reload_and_refuses_operators()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var dashboard = await OpenAsync(browser.Browser, "/operator.html");
        await dashboard.Locator("#login-user").FillAsync(TestAccounts.SupervisorUserName);
        await dashboard.Locator("#login-password").FillAsync(TestAccounts.SupervisorPassword);
        await dashboard.Locator("#login-submit").ClickAsync();
        await dashboard.Locator("#dashboard-link").ClickAsync();
        var waiting = dashboard.Locator(".queue-card[data-language='ru'] .q-waiting");
        await Expect(waiting).ToHaveTextAsync("0");
        await Expect(dashboard.Locator(".queue-card[data-language='ru'] .chart-waiting")).ToBeVisibleAsync();

        var customers = new List<TestCustomer>();
        for (var i = 0; i < 2; i++)
        {
            customers.Add(await TestCustomer.QueuedAsync(fixture.Grains, "ru"));
        }

        await Expect(waiting).ToHaveTextAsync("2");
        await customers[0].Grain.EndByCustomer(customers[0].Secret);
        await Expect(waiting).ToHaveTextAsync("1");
        await customers[1].Grain.EndByCustomer(customers[1].Secret);

        // The supervisor closes the Russian queue for the rest of the day (it is noon in Moscow).
        var card = dashboard.Locator(".queue-card[data-language='ru']");
        await card.Locator(".hours-opens").FillAsync("13:00");
        await card.Locator(".hours-closes").FillAsync("20:00");
        await card.Locator(".hours-save").ClickAsync();
        await Expect(card.Locator(".hours-result")).ToContainTextAsync("13:00");
        await Expect(card.Locator(".q-open")).ToHaveTextAsync("Closed");
        await card.Locator(".hours-reset").ClickAsync();
        await Expect(card.Locator(".q-open")).ToHaveTextAsync("Open");

        var operatorName = $"peek-{Guid.NewGuid():N}"[..20];
        await TestAccounts.EnsureAsync(fixture.Grains, operatorName);
        var peeker = await OpenAsync(browser.Browser, "/operator.html");
        await peeker.Locator("#login-user").FillAsync(operatorName);
        await peeker.Locator("#login-password").FillAsync(TestAccounts.Password);
        await peeker.Locator("#login-submit").ClickAsync();
        await Expect(peeker.Locator("#dashboard-link")).ToBeHiddenAsync();
        await peeker.GotoAsync(new Uri(fixture.FrontendUrl, "/dashboard.html").ToString());
        await Expect(peeker.Locator("#dashboard-denied")).ToBeVisibleAsync();
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task Category_question_and_suggestion_lead_to_chat_now_only_where_an_operator_can_help()
    {
        var help = await OpenAsync(browser.Browser, "/");
        await help.Locator("#categories button[data-category='shipping']").ClickAsync();
        await help.Locator("#questions button[data-question='shipping.track-parcel']").ClickAsync();

        await Expect(help.Locator("#suggestion-heading")).ToHaveTextAsync("Our Suggestion");
        await Expect(help.Locator("#suggestions li")).ToHaveCountAsync(2);
        await Expect(help.Locator("#chat-now")).ToBeEnabledAsync();
        await Expect(help.Locator("#email-us")).ToBeDisabledAsync();

        // Informational question: the suggestions are all there is.
        await help.Locator("#categories button[data-category='shipping']").ClickAsync();
        await help.Locator("#questions button[data-question='shipping.delivery-times']").ClickAsync();
        await Expect(help.Locator("#question-title")).Not.ToBeEmptyAsync();
        await Expect(help.Locator("#chat-now")).ToBeDisabledAsync();
        await Expect(help.Locator("#chat-hint")).ToBeVisibleAsync();

        // "Did this solve your problem?" is counted for the question.
        var feedback = fixture.Grains.GetGrain<OrleansSupport.HelpCenter.IQuestionFeedbackGrain>("shipping.delivery-times");
        var before = (await feedback.GetCounts()).Sum(c => c.Solved);
        await help.Locator("#suggestions li").First.Locator(".solved-yes").ClickAsync();
        await Eventually.Async(async () => (await feedback.GetCounts()).Sum(c => c.Solved), n => n == before + 1);

        // Chat now opens the chat window for the chosen question.
        await help.Locator("#categories button[data-category='shipping']").ClickAsync();
        await help.Locator("#questions button[data-question='shipping.track-parcel']").ClickAsync();
        await help.Locator("#chat-now").ClickAsync();
        await help.WaitForURLAsync(new Regex("/chat\\.html\\?question=shipping\\.track-parcel"));
        await Expect(help.Locator("#livechat-help")).ToBeEnabledAsync();
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task Email_us_is_offered_only_for_payment_and_refund_questions_and_returns_a_stored_reference()
    {
        var help = await OpenAsync(browser.Browser, "/");
        await help.Locator("#categories button[data-category='orders']").ClickAsync();
        await help.Locator("#questions button").First.ClickAsync();
        await Expect(help.Locator("#email-us")).ToBeDisabledAsync();

        await help.Locator("#categories button[data-category='refunds']").ClickAsync();
        await help.Locator("#questions button[data-question='refunds.open-dispute']").ClickAsync();
        await Expect(help.Locator("#email-us")).ToBeEnabledAsync();
        await help.Locator("#email-us").ClickAsync();

        // The server judges the fields; its message appears next to the field.
        await help.Locator("#email").FillAsync("not-an-address");
        await help.Locator("#order-number").FillAsync("B-77812");
        await help.Locator("#email-text").FillAsync("The seller refuses the return.");
        await help.Locator("#email-submit").ClickAsync();
        await Expect(help.Locator("#email-error")).ToBeVisibleAsync();

        await help.Locator("#email").FillAsync("shopper@example.com");
        await help.Locator("#email-submit").ClickAsync();
        await Expect(help.Locator("#email-reference")).ToContainTextAsync(new Regex("SR-[2-9A-HJ-NP-Z]{10}"));
        var reference = Regex.Match(await help.Locator("#email-reference").TextContentAsync() ?? "", "SR-[2-9A-HJ-NP-Z]{10}").Value;
        var stored = await fixture.Grains.GetGrain<OrleansSupport.Email.IEmailRequestGrain>(reference).Get();
        Assert.Equal(("shopper@example.com", "B-77812", "refunds.open-dispute"), (stored!.Email, stored.OrderNumber, stored.QuestionId));
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task After_hours_a_russian_speaker_is_told_in_russian_and_offered_english()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        fixture.Clock.Run(new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(Moscow).Date.AddHours(3), Moscow));
        try
        {
            var help = await OpenAsync(browser.Browser, "/");
            await help.Locator("#ui-language").SelectOptionAsync("ru");
            await Expect(help.Locator("#suggestion-heading")).ToHaveTextAsync(new Regex("\\S"));
            await help.Locator("#categories button[data-category='payment']").ClickAsync();
            await help.Locator("#questions button[data-question='payment.charged-twice']").ClickAsync();

            await Expect(help.Locator("#hours-notice")).ToContainTextAsync("06:00");
            await Expect(help.Locator("#hours-notice")).ToContainTextAsync("00:00");
            await Expect(help.Locator("#hours-notice")).ToContainTextAsync("на английском");
            await Expect(help.Locator("#chat-now")).ToHaveTextAsync("Чат на английском");
            await Expect(help.Locator("#email-us")).ToBeEnabledAsync();

            await help.Locator("#chat-now").ClickAsync();
            await help.WaitForURLAsync(new Regex("language=en"));
            await help.Locator("#livechat-help").ClickAsync();
            await Expect(help.Locator("#queue-number")).ToHaveTextAsync("Вы 1-й в очереди");

            // A customer who opens the Russian chat window anyway is told and offered the move there too.
            var late = await OpenAsync(browser.Browser, "/chat.html?question=payment.charged-twice&language=ru");
            await late.Locator("#ui-language").SelectOptionAsync("ru");
            await late.Locator("#livechat-help").ClickAsync();
            await Expect(late.Locator("#closed-notice")).ToBeVisibleAsync();
            await Expect(late.Locator("#move-to-fallback")).ToHaveTextAsync("Перейти в английскую очередь");
            await late.Locator("#move-to-fallback").ClickAsync();
            await Expect(late.Locator("#queue-number")).ToHaveTextAsync("Вы 2-й в очереди");
            Assert.Empty(_refusals);
        }
        finally
        {
            fixture.Clock.Run(new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(Moscow).Date.AddHours(12), Moscow));
            await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        }
    }
}
