using OpenQA.Selenium;

namespace Devana.Web.EndToEndTests.Infrastructure;

/// <summary>
/// One Devana host and one Chromium per test class. Each scenario starts from a signed-out browser
/// (<see cref="SignInAs"/>), so scenarios do not depend on their order.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    public string? SkipReason { get; } = Chromium.MissingReason();

    public FakeLlmUpstream Upstream { get; private set; } = null!;

    public ConsoleHost Host { get; private set; } = null!;

    public Chromium Browser { get; private set; } = null!;

    public IWebDriver Driver => Browser.Driver;

    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>();

    /// <summary>Whether the class drives a browser (HTTP-only classes skip starting Chromium).</summary>
    protected virtual bool NeedsBrowser => true;

    public async Task InitializeAsync()
    {
        Upstream = await FakeLlmUpstream.StartAsync();
        Host = new ConsoleHost(Upstream, Settings());
        await Host.StartAsync();
        if (SkipReason is null && NeedsBrowser)
        {
            Browser = Chromium.Start();
        }
    }

    public string Url(string path) => new Uri(Host.Origin, path).ToString();

    /// <summary>Forgets every session (cookies, tokens) and signs in through the login page.</summary>
    public void SignInAs(string email, string password)
    {
        SignOutLocally();
        Browser.WaitFor(By.Id("sign-in"), "the sign-in button").Click();
        Browser.WaitFor(By.Id("Input_Email"), "the login page").SendKeys(email);
        Driver.FindElement(By.Id("Input_Password")).SendKeys(password);
        Driver.FindElement(By.CssSelector("form button[type=submit]")).Click();
        Browser.WaitFor(By.Id("sign-out"), "the app, signed in");
    }

    /// <summary>A fresh browser state: no login cookie, no tokens in session storage.</summary>
    public void SignOutLocally()
    {
        // Start each scenario with an empty console log, so CSP checks see only this scenario's.
        Driver.Manage().Logs.GetLog(LogType.Browser);
        Driver.Navigate().GoToUrl(Url("/app/"));
        Driver.Manage().Cookies.DeleteAllCookies();
        ((IJavaScriptExecutor)Driver).ExecuteScript("sessionStorage.clear(); localStorage.clear();");
        Driver.Navigate().GoToUrl(Url("/app/"));
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
