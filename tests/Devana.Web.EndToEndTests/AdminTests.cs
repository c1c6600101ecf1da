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
}
