using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests;

/// <summary>The two plain pages, used as a customer and an operator would, in separate browser contexts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BrowserChatTests(ClusterFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
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

    private static async Task StartAndAskForOperatorAsync(IPage customer)
    {
        await customer.Locator("#start").ClickAsync();
        await customer.Locator("#livechat-help").ClickAsync();
    }

    [Fact]
    public async Task A_customer_watches_their_number_move_then_chats_with_an_operator()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var ahead = await OpenAsync(browser.Browser, "/");
        var customer = await OpenAsync(browser.Browser, "/");
        await StartAndAskForOperatorAsync(ahead);
        await Expect(ahead.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");
        await StartAndAskForOperatorAsync(customer);
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 2 in the queue");

        // The customer ahead leaves: the number moves live, without a reload.
        await ahead.Locator("#end").ClickAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

        // A refresh keeps the place.
        await customer.ReloadAsync();
        await Expect(customer.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

        var op = await OpenAsync(browser.Browser, "/operator.html");
        await op.Locator("#operator-id").FillAsync($"browser-{Guid.NewGuid():N}"[..24]);
        await op.Locator("#sign-in").ClickAsync();
        await Expect(op.Locator("#available")).ToBeEnabledAsync();
        await op.Locator("#available").ClickAsync();

        var panel = op.Locator("section.chat-panel");
        await Expect(panel).ToHaveCountAsync(1);
        await Expect(customer.Locator("#queue-number")).ToBeHiddenAsync();
        await Expect(customer.Locator("#send")).ToBeEnabledAsync();

        const string hostile = "<img src=x onerror=\"document.title='pwned'\"> where is my order?";
        await customer.Locator("#message-input").FillAsync(hostile);
        await customer.Locator("#send").ClickAsync();
        await Expect(panel.Locator(".transcript li.msg-customer")).ToHaveTextAsync(new Regex(Regex.Escape(hostile)));
        Assert.Equal(0, await op.Locator(".transcript img").CountAsync());

        await panel.Locator(".message-input").FillAsync("It arrives tomorrow.");
        await panel.Locator(".message-input").PressAsync("Enter");
        await Expect(customer.Locator("#transcript li.msg-operator")).ToHaveTextAsync(new Regex("It arrives tomorrow\\."));
        Assert.NotEqual("pwned", await op.TitleAsync());

        // Go away first, so this operator takes no one else's customers after the test.
        await op.Locator("#available").ClickAsync();
        await Expect(op.Locator("#available")).ToHaveAttributeAsync("aria-pressed", "false");
        await panel.Locator(".end-chat").ClickAsync();
        await Expect(customer.Locator("#send")).ToBeDisabledAsync();
        Assert.Empty(_refusals); // the pages work within their own Content-Security-Policy
    }
}
