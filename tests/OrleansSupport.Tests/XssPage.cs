using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests;

/// <summary>
/// A page opened in its own browser context for XSS checks. It records every dialog, uncaught script
/// error, pop-up and Content-Security-Policy violation, and checks that each response it navigates to
/// forbids inline script; <see cref="AssertInertAsync"/> then proves that nothing a payload carries ran
/// or turned into markup.
/// </summary>
public sealed class XssPage : IAsyncDisposable
{
    // Runs before the page's own scripts in every document (Playwright injects it, so the page's CSP
    // does not apply to it). A blocked handler or URL is reported here even when Chromium logs nothing.
    private const string ViolationRecorder = """
        document.addEventListener('securitypolicyviolation', (e) => {
          (window.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
        });
        """;

    // Everything on the page that markup from a payload would have created. None of the pages has an
    // img, frame, object or math element, inline script, event-handler attribute or script URL of its
    // own; the dashboard's charts are the only SVG.
    private const string MarkupScan = """
        (selector) => {
          const found = [];
          const root = selector ? document.querySelector(selector) : document;
          const html = 'http://www.w3.org/1999/xhtml';
          const banned = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'img', 'image',
            'video', 'audio', 'math', 'mglyph', 'marquee', 'portal', 'animate', 'set']);
          const headOnly = new Set(['meta', 'link', 'style', 'title']);
          const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background',
            'poster', 'codebase', 'srcset']);
          const name = (el) => `<${el.localName}${el.id ? '#' + el.id : ''}>`;
          for (const el of root.querySelectorAll('*')) {
            if (banned.has(el.localName)) found.push(`${name(el)} element`);
            if (el.localName === 'script' && !el.hasAttribute('src')) found.push('inline <script>');
            if (el.namespaceURI === html && headOnly.has(el.localName) && !el.closest('head')) found.push(`${name(el)} outside <head>`);
            if (el.localName === 'svg' && !el.parentElement?.closest('.chart-slot')) found.push('<svg> outside a chart');
            for (const a of el.attributes) {
              const attribute = a.name.toLowerCase();
              const value = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
              if (attribute.startsWith('on')) found.push(`${name(el)} ${attribute}=`);
              if (attribute === 'srcdoc') found.push(`${name(el)} srcdoc=`);
              if (urlAttributes.has(attribute) && /^(javascript|vbscript|data):/.test(value)) found.push(`${name(el)} ${attribute}=${value}`);
              if (attribute === 'style' && /expression\(|javascript:|url\(/.test(value)) found.push(`${name(el)} style=${value}`);
            }
          }
          return found;
        }
        """;

    private readonly List<string> _events = [];

    private XssPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            _events.Add($"dialog {dialog.Type}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => _events.Add($"page error: {error}");
        page.Popup += (_, popup) => _events.Add($"pop-up: {popup.Url}");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _events.Add($"CSP: {message.Text}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<XssPage> OpenAsync(IBrowser browser, Uri url)
    {
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(ViolationRecorder);
        var page = new XssPage(context, await context.NewPageAsync());
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>Navigates this page; the document must come with a policy that forbids inline script.</summary>
    public async Task GotoAsync(Uri url)
    {
        var response = await Page.GotoAsync(url.ToString());
        Assert.NotNull(response);
        (await response.AllHeadersAsync()).TryGetValue("content-security-policy", out var policy);
        Assert.Empty(CspHeader.InlineScriptProblems(policy));
    }

    /// <summary>Elements and attributes under <paramref name="selector"/> (the whole page: null) that only markup could have made.</summary>
    public async Task<string[]> MarkupAsync(string? selector = null) => await Page.EvaluateAsync<string[]>(MarkupScan, selector);

    /// <summary>Everything that ran, opened, was blocked by the policy or became markup on this page so far.</summary>
    public async Task<List<string>> ProblemsAsync()
    {
        var problems = new List<string>(_events);
        problems.AddRange(await MarkupAsync());
        problems.AddRange(await Page.EvaluateAsync<string[]>("() => window.__cspViolations ?? []"));
        if (await CanaryAsync() is { } canary)
        {
            problems.Add($"window.__xss = {canary}");
        }

        return problems;
    }

    /// <summary>What a payload's script set <c>window.__xss</c> to; null while none ran.</summary>
    public Task<string?> CanaryAsync() => Page.EvaluateAsync<string?>("() => window.__xss === undefined ? null : String(window.__xss)");

    public async Task AssertInertAsync()
    {
        var problems = await ProblemsAsync();
        Assert.True(problems.Count == 0, $"{Page.Url}: {string.Join(" | ", problems)}");
    }

    /// <summary>The one element shows exactly <paramref name="expected"/>, as a text node and nothing else.</summary>
    public static async Task AssertTextAsync(ILocator element, string expected)
    {
        await Expect(element).ToHaveTextAsync(expected); // waits for it; compares with whitespace collapsed
        Assert.Equal(expected, await element.TextContentAsync());
        Assert.Equal(0, await element.EvaluateAsync<int>("e => e.childElementCount"));
    }

    /// <summary>The elements show exactly these texts, in order, each as text only.</summary>
    public static async Task AssertTextsAsync(ILocator elements, IReadOnlyList<string> expected)
    {
        await Expect(elements).ToHaveTextAsync([.. expected]);
        Assert.Equal(expected, await elements.EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)"));
        Assert.All(await elements.EvaluateAllAsync<int[]>("els => els.map(e => e.childElementCount)"), n => Assert.Equal(0, n));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
