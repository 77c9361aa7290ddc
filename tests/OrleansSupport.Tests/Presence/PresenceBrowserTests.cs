using Microsoft.Playwright;
using OrleansSupport.WebFrontend.Hubs;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests.Presence;

/// <summary>
/// The pages around a customer who goes away: the operator's console marks the chat, the customer who comes
/// back reads why the chat or their wait ended, in English and Russian. Screenshots go to .run/screenshots.
/// </summary>
public sealed class PresenceBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ChatWindow = "/chat.html?question=payment.charged-twice&language=en";
    private static readonly LocatorAssertionsToBeVisibleOptions Patiently = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_console_marks_a_customer_offline_and_the_customer_who_comes_back_reads_that_the_chat_ended()
    {
        await using var own = await OwnCluster.StartAsync(presence: TestSettings.Presence(chatGraceSeconds: 5), withFrontend: true);
        await TestAccounts.EnsureAsync(own.Grains, "sees-who-left");
        var customerBrowser = await browser.Browser.NewContextAsync();
        var customer = await customerBrowser.NewPageAsync();
        await customer.GotoAsync(new Uri(own.FrontendUrl, ChatWindow).ToString());
        await customer.Locator("#livechat-help").ClickAsync();
        await Expect(customer.Locator("#queue-number")).ToBeVisibleAsync();
        var english = await ConsoleAsync(own, "sees-who-left", "en-US");
        var russian = await ConsoleAsync(own, "sees-who-left", "ru-RU"); // a second console of the same operator
        await english.Locator("#accept-next").ClickAsync();
        var panel = english.Locator("section.chat-panel");
        var russianPanel = russian.Locator("section.chat-panel");
        await Expect(panel.Locator(".chat-state")).ToHaveTextAsync("Chatting");
        await Expect(panel.Locator(".customer-offline")).ToBeHiddenAsync();

        await customer.CloseAsync(); // the tab closes; the browser keeps the session's token

        await Expect(panel.Locator(".customer-offline")).ToBeVisibleAsync(Patiently);
        await Expect(panel.Locator(".customer-offline")).ToHaveTextAsync("Customer offline");
        await Expect(russianPanel.Locator(".customer-offline")).ToBeVisibleAsync(Patiently);
        await Expect(russianPanel.Locator(".customer-offline")).ToHaveTextAsync("Клиент не в сети");
        await Screenshot(panel, "operator-customer-offline-en.png");
        await Screenshot(russianPanel, "operator-customer-offline-ru.png");

        await Expect(panel.Locator(".chat-state")).ToHaveTextAsync("Ended", new() { Timeout = 30_000 });
        await Expect(panel.Locator(".customer-offline")).ToBeHiddenAsync();
        await Expect(panel.Locator(".transcript li.msg-system").Last).ToContainTextAsync("The customer left the chat.");

        var back = await customerBrowser.NewPageAsync();
        await back.GotoAsync(new Uri(own.FrontendUrl, "/chat.html").ToString());
        var why = back.Locator("#transcript li.msg-system").Last;
        await Expect(why).ToContainTextAsync("The chat ended because you were away for a while.");
        await back.Locator("#ui-language").SelectOptionAsync("ru");
        await Expect(why).ToContainTextAsync("Чат завершён, потому что вы долго отсутствовали.");
    }

    [Fact]
    public async Task A_customer_sent_out_of_the_queue_for_being_away_is_told_why_and_may_ask_again()
    {
        await using var own = await OwnCluster.StartAsync(withFrontend: true);
        var customer = await (await browser.Browser.NewContextAsync()).NewPageAsync();
        await customer.GotoAsync(new Uri(own.FrontendUrl, ChatWindow).ToString());
        await customer.Locator("#livechat-help").ClickAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");
        var token = SessionToken.Parse(await customer.EvaluateAsync<string>("localStorage.getItem('orleansSupport.sessionToken')"));

        // As the queue does once the customer has been gone past the grace.
        own.Grains.GetGrain<ICustomerSessionGrain>(token.SessionId).LeaveQueueBecauseAway("en", DateTimeOffset.UtcNow).Ignore();

        var why = customer.Locator("#transcript li.msg-system").Last;
        await Expect(why).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("You left the queue because you were away for a while\\. You can join again; you will be at the back of the queue\\."));
        await Expect(customer.Locator("#livechat-help")).ToBeVisibleAsync();
        await Expect(customer.Locator("#queue-number")).ToBeHiddenAsync();
        await customer.Locator("#ui-language").SelectOptionAsync("ru");
        await Expect(why).ToContainTextAsync("Вы покинули очередь, потому что долго отсутствовали.");
        await Screenshot(customer.Locator("#chat"), "customer-left-queue-away-ru.png");

        await customer.Locator("#livechat-help").ClickAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("Вы 1-й в очереди");
    }

    /// <summary>An operator console, logged in and started, in a browser of the given locale.</summary>
    private async Task<IPage> ConsoleAsync(OwnCluster own, string operatorName, string locale)
    {
        var page = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale })).NewPageAsync();
        await page.GotoAsync(new Uri(own.FrontendUrl, "/operator.html").ToString());
        await page.Locator("#login-user").FillAsync(operatorName);
        await page.Locator("#login-password").FillAsync(TestAccounts.Password);
        await page.Locator("#login-submit").ClickAsync();
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page.Locator("#accept-next")).ToBeEnabledAsync();
        return page;
    }

    private static async Task Screenshot(ILocator what, string name)
    {
        var directory = Path.Combine(Repository.Root, ".run", "screenshots");
        Directory.CreateDirectory(directory);
        await what.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(directory, name) });
    }
}
