using Devana.Web.EndToEndTests.Infrastructure;
using OpenQA.Selenium;

namespace Devana.Web.EndToEndTests;

/// <summary>The admin pages in Chromium: hidden from members, and a client's secret shown once.</summary>
public sealed class AdminTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private Chromium Browser => fixture.Browser;

    private IWebDriver Driver => fixture.Driver;

    [SkippableFact]
    public void Member_DoesNotSeeTheAdminPages()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.MemberEmail, ConsoleHost.MemberPassword);

        Driver.FindElement(By.Id("who")).Text.Should().Contain("member");
        Driver.FindElement(By.Id("nav-admin")).Displayed.Should().BeFalse();

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/clients"));
        Browser.Wait(driver => driver.FindElement(By.Id("main")).Text.Contains("Only the workspace\u2019s owners and admins", StringComparison.Ordinal), "the refusal");
        Driver.FindElements(By.Id("client-form")).Should().BeEmpty();
        Browser.Screenshot("member-no-admin");
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public void Member_SeesAgentsOfOthersReadOnly()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.MemberEmail, ConsoleHost.MemberPassword);

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/agents"));
        var row = Browser.WaitFor(By.CssSelector($"tr[data-agent='{ConsoleHost.EchoAgent}']"), "the shared agent");
        row.Text.Should().Contain("read only");
        row.FindElements(By.TagName("button")).Should().BeEmpty();
    }

    [SkippableFact]
    public void Admin_CreatesAClient_AndSeesItsSecretOnce()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);

        Driver.FindElement(By.Id("nav-admin")).Click();
        Browser.WaitFor(By.Id("client-name"), "the client form").SendKeys("Nightly batch");
        Driver.FindElement(By.Id("create-client")).Click();

        var secret = Browser.WaitFor(By.Id("client-secret"), "the new client's secret").Text;
        secret.Should().HaveLength(43, "a 32-byte base64url secret");
        var clientId = Browser.WaitFor(By.CssSelector("#clients-table tr[data-client^='cli_']"), "the new client in the list").GetAttribute("data-client");
        Browser.Screenshot("admin-client-secret");

        // The secret works: it gets a token for the new client.
        using (var http = new HttpClient { BaseAddress = fixture.Host.Origin })
        {
            using var token = http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId!, ["client_secret"] = secret,
            })).GetAwaiter().GetResult();
            token.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        // Once dismissed, it is nowhere: not on the page, not after coming back, not in storage.
        Driver.FindElement(By.Id("secret-done")).Click();
        Driver.FindElements(By.Id("client-secret")).Should().BeEmpty();
        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/users"));
        Browser.WaitFor(By.Id("user-form"), "the users page");
        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/clients"));
        Browser.WaitFor(By.CssSelector($"#clients-table tr[data-client='{clientId}']"), "the client list");
        Driver.PageSource.Should().NotContain(secret);
        ((string)((IJavaScriptExecutor)Driver).ExecuteScript("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")!).Should().NotContain(secret);
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public void Admin_SeesTheUsageChart_AndTheirOwnLimits()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/usage"));
        Browser.WaitFor(By.CssSelector("#usage-chart svg.chart"), "the usage chart");
        Browser.WaitFor(By.CssSelector("#my-usage .meter"), "the caller's own limits");
        Driver.FindElement(By.Id("my-usage")).Text.Should().Contain("Tokens this month");
        Browser.Screenshot("admin-usage");
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public void Agents_CreateEditAndDelete_ThroughTheForms()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/agents/new"));
        Browser.WaitFor(By.Id("agent-id"), "the new agent form").SendKeys("support-desk");
        Driver.FindElement(By.Id("agent-name")).SendKeys("Support desk");
        Driver.FindElement(By.Id("agent-instructions")).SendKeys("Answer briefly.");
        Driver.FindElement(By.CssSelector("#agent-model option[value='echo']")).Click();
        Driver.FindElement(By.CssSelector("#agent-allowed input[value='echo']")).Click();
        Driver.FindElement(By.Id("agent-fallbacks")).SendKeys("held, echo");
        Driver.FindElement(By.Id("agent-temperature")).SendKeys("0.3");
        Driver.FindElement(By.CssSelector("#agent-lang option[value='fr']")).Click();
        Driver.FindElement(By.Id("agent-welcome")).SendKeys("Bonjour !");
        Driver.FindElement(By.CssSelector("#agent-visibility option[value='workspace']")).Click();
        Driver.FindElement(By.Id("save-agent")).Click();
        Browser.Wait(driver => driver.FindElement(By.Id("main")).Text.Contains("Saved Support desk.", StringComparison.Ordinal), "the saved agent");

        // Edit: the form shows what was stored, and a change is saved.
        Browser.WaitFor(By.Id("knowledge-files"), "the knowledge files of the saved agent");
        Driver.FindElement(By.Id("agent-temperature")).GetAttribute("value").Should().Be("0.3");
        Driver.FindElement(By.Id("agent-lang")).GetAttribute("value").Should().Be("fr");
        Driver.FindElement(By.Id("agent-fallbacks")).GetAttribute("value").Should().Be("held, echo", "the fallbacks keep their order");
        var form = Driver.FindElement(By.Id("agent-form"));
        var welcome = Driver.FindElement(By.Id("agent-welcome"));
        welcome.Clear();
        welcome.SendKeys("Salut !");
        Driver.FindElement(By.Id("save-agent")).Click();
        Browser.Wait(_ => IsGone(form), "the form shown again after the save");
        Browser.WaitFor(By.Id("agent-welcome"), "the edited agent").GetAttribute("value").Should().Be("Salut !");
        Driver.FindElement(By.Id("main")).Text.Should().Contain("Saved Support desk.");

        // A knowledge file, uploaded and attached.
        var path = Path.Combine(fixture.Host.DataDirectory, "faq.txt");
        File.WriteAllText(path, "Returns are accepted within thirty days.");
        Driver.FindElement(By.Id("knowledge-upload")).SendKeys(path);
        Browser.Wait(driver => driver.FindElement(By.Id("knowledge-files")).Text.Contains("faq.txt", StringComparison.Ordinal), "the knowledge file");
        Browser.Screenshot("agent-edit");

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/agents"));
        var row = Browser.WaitFor(By.CssSelector("tr[data-agent='support-desk']"), "the agent in the list");
        row.FindElement(By.CssSelector("button.danger")).Click();
        Driver.SwitchTo().Alert().Accept();
        Browser.Wait(driver => driver.FindElements(By.CssSelector("tr[data-agent='support-desk']")).Count == 0, "the deleted agent gone");
    }

    [SkippableFact]
    public void Admin_CreatesAUser_AndSetsAQuota()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/users"));
        Browser.WaitFor(By.Id("user-email"), "the user form").SendKeys("ada@devana.local");
        Driver.FindElement(By.Id("user-name")).SendKeys("Ada");
        Driver.FindElement(By.Id("user-password")).SendKeys("Ada-long-password-1");
        Driver.FindElement(By.Id("create-user")).Click();
        Browser.Wait(driver => driver.FindElement(By.Id("users-table")).Text.Contains("ada@devana.local", StringComparison.Ordinal), "the new user in the list");

        // A duplicate is refused with a readable message.
        Driver.FindElement(By.Id("user-email")).SendKeys("ada@devana.local");
        Driver.FindElement(By.Id("user-password")).SendKeys("Ada-long-password-1");
        Driver.FindElement(By.Id("create-user")).Click();
        Browser.Wait(driver => driver.FindElement(By.Id("users-status")).Text.StartsWith("Already exists", StringComparison.Ordinal), "the duplicate refused");

        Driver.Navigate().GoToUrl(fixture.Url("/app/#/admin/quotas"));
        Browser.WaitFor(By.Id("quota-level"), "the quota form").FindElement(By.CssSelector("option[value='agent']")).Click();
        Driver.FindElement(By.Id("quota-subject")).SendKeys(ConsoleHost.HeldAgent);
        var perDay = Driver.FindElement(By.Id("quota-requests_per_day"));
        perDay.Clear();
        perDay.SendKeys("500");
        Driver.FindElement(By.Id("save-quota")).Click();
        Browser.Wait(driver => driver.FindElement(By.Id("quotas-table")).Text.Contains(ConsoleHost.HeldAgent, StringComparison.Ordinal)
            && driver.FindElement(By.Id("quotas-table")).Text.Contains("500", StringComparison.Ordinal), "the stored quota");
        Browser.Screenshot("admin-quotas");
    }

    [SkippableFact]
    public async Task QuotaExceeded_IsShownWithItsResetTime()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var userId = await fixture.Host.CreateUserAsync("limited@devana.local", "Limited-password-1");
        await fixture.Host.SetPrincipalQuotaAsync(userId, requestsPerDay: 1);
        fixture.SignInAs("limited@devana.local", "Limited-password-1");

        var picker = Browser.WaitFor(By.CssSelector($"#agent option[value='{ConsoleHost.EchoAgent}']"), "the echo agent");
        picker.Click();
        Browser.WaitFor(By.CssSelector($"#composer[data-agent='{ConsoleHost.EchoAgent}']"), "the echo agent's details");
        Browser.WaitFor(By.Id("message"), "the message box").SendKeys("One");
        Driver.FindElement(By.Id("send")).Click();
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.assistant")).LastOrDefault()?.GetAttribute("data-finish") == "stop", "the first answer");
        Browser.Wait(driver => driver.FindElement(By.Id("send")).Enabled, "the send button");
        Driver.FindElement(By.Id("message")).SendKeys("Two");
        Driver.FindElement(By.Id("send")).Click();

        var message = Browser.Wait(driver => driver.FindElement(By.Id("chat-status")).Text is { Length: > 0 } text ? text : null, "the quota message")!;
        message.Should().StartWith("You have reached a usage limit. You can continue after ");
        Browser.Screenshot("quota-exceeded");
    }

    private static bool IsGone(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
    }
}
