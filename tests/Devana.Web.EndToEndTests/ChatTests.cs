using Devana.Web.EndToEndTests.Infrastructure;
using OpenQA.Selenium;

namespace Devana.Web.EndToEndTests;

/// <summary>Signing in through the login page and chatting, in Chromium, under the production CSP.</summary>
public sealed class ChatTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private Chromium Browser => fixture.Browser;

    private IWebDriver Driver => fixture.Driver;

    [SkippableFact]
    public void SignIn_ThroughTheLoginPage_ShowsTheChatWithTheAgentsWelcome()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);

        SelectAgent(ConsoleHost.EchoAgent);
        Browser.Wait(driver => driver.FindElement(By.Id("welcome")).Text.Contains(ConsoleHost.EchoWelcome, StringComparison.Ordinal), "the welcome message");
        Driver.FindElement(By.Id("who")).Text.Should().Contain(ConsoleHost.AdminEmail).And.Contain("owner");
        Driver.FindElement(By.Id("nav-admin")).Displayed.Should().BeTrue();
        // Tokens live in session storage only.
        Script("return localStorage.length").Should().Be(0L);
        Script("return Object.keys(sessionStorage).some(k => k.startsWith('oidc.user:'))").Should().Be(true);
        Browser.Screenshot("sign-in");
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public void Send_ShowsTheAnswerWhileItStreams_ThenItsUsage()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.HeldAgent);

        Send("Tell me something");
        // The first part is on screen while the upstream still holds the rest of the stream.
        var answer = Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.assistant.streaming"))
            .FirstOrDefault(element => element.Text.Contains(FakeLlmUpstream.FirstPart, StringComparison.Ordinal)), "the first streamed words");
        answer!.Text.Should().NotContain(FakeLlmUpstream.SecondPart.Trim());
        Driver.FindElement(By.Id("stop")).Displayed.Should().BeTrue();
        Browser.Screenshot("streaming");

        fixture.Upstream.Release();
        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the end of the stream");
        LastAnswer().Text.Should().Contain(FakeLlmUpstream.FirstPart + FakeLlmUpstream.SecondPart).And.Contain("held").And.Contain("tokens");
        Driver.FindElement(By.Id("stop")).Displayed.Should().BeFalse();
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Stop_CancelsTheStream_AndTheStoredAnswerIsCancelled()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.HeldAgent);
        fixture.Upstream.ResetCancelled();

        Send("Start and be stopped");
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.assistant.streaming"))
            .Any(element => element.Text.Contains(FakeLlmUpstream.FirstPart, StringComparison.Ordinal)), "the first streamed words");
        Driver.FindElement(By.Id("stop")).Click();

        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "cancelled", "the stopped answer");
        LastAnswer().Text.Should().Contain("Stopped");
        await fixture.Upstream.StreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Browser.Screenshot("stop");

        var conversationId = ConversationIdFromUrl();
        var stored = await WaitForAsync(async () =>
        {
            var messages = await fixture.Host.MessagesAsync(conversationId);
            return messages.EnumerateArray().FirstOrDefault(message => message.GetProperty("role").GetString() == "assistant") is { ValueKind: System.Text.Json.JsonValueKind.Object } answer
                ? answer.GetProperty("finish_reason").GetString()
                : null;
        });
        stored.Should().Be("cancelled");
    }

    [SkippableFact]
    public void Reload_ContinuesTheConversation()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.EchoAgent);

        Send("First question");
        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the first answer");
        var conversationId = ConversationIdFromUrl();

        Driver.Navigate().Refresh();
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.assistant")).Count == 1
            && driver.FindElement(By.Id("messages")).Text.Contains("Echo: First question", StringComparison.Ordinal), "the stored conversation after the reload");
        Browser.WaitFor(By.CssSelector($"#conversations a[href='#/chat/{conversationId}']"), "the conversation in the list");

        Send("Second question");
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.assistant")).Count == 2
            && LastAnswer().GetAttribute("data-finish") == "stop", "the second answer");
        LastAnswer().Text.Should().Contain("Echo: Second question");
        ConversationIdFromUrl().Should().Be(conversationId);
        Browser.Screenshot("continue-after-reload");
    }

    [SkippableFact]
    public void AttachAFile_AndAskAboutIt_ShowsTheFileAsASource()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.EchoAgent);

        var path = Path.Combine(fixture.Host.DataDirectory, "opening-hours.txt");
        File.WriteAllText(path, "The shop opens at nine and closes at six, Monday to Saturday.");
        Driver.FindElement(By.Id("attach")).SendKeys(path);
        Browser.Wait(driver => driver.FindElement(By.Id("attached")).Text.Contains("opening-hours.txt (processed)", StringComparison.Ordinal), "the uploaded file");

        Send("When does the shop open?");
        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the answer");
        var sources = LastAnswer().FindElement(By.CssSelector(".sources details"));
        sources.FindElement(By.TagName("summary")).Click();
        sources.Text.Should().Contain("opening-hours.txt").And.Contain("opens at nine");
        Driver.FindElements(By.CssSelector(".message.user")).Last().Text.Should().Contain("1 file attached");
        Browser.Screenshot("upload-file");
    }

    [SkippableFact]
    public void Markdown_IsRendered_AndSanitised()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.EchoAgent);

        Send("**bold** <img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script>");
        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the answer");
        LastAnswer().FindElement(By.CssSelector(".markdown strong")).Text.Should().Be("bold");
        LastAnswer().FindElements(By.CssSelector(".markdown script")).Should().BeEmpty();
        LastAnswer().FindElements(By.CssSelector(".markdown img[onerror]")).Should().BeEmpty();
        Script("return window.pwned === undefined").Should().Be(true);
        // No CSP check here: Chromium reports the handler it refused while the sanitiser parsed the message.
    }

    [SkippableFact]
    public void NarrowScreen_375px_HasNoHorizontalScroll()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        var size = Driver.Manage().Window.Size;
        try
        {
            Driver.Manage().Window.Size = new System.Drawing.Size(375, 800);
            SelectAgent(ConsoleHost.EchoAgent);
            Send("A narrow question");
            Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the answer");
            Script("return document.documentElement.scrollWidth <= window.innerWidth").Should().Be(true);
            // Every form control has a label the browser associates with it.
            Script("return [...document.querySelectorAll('input, select, textarea')].filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)")
                .As<IReadOnlyCollection<object>>().Should().BeEmpty();
            Browser.Screenshot("narrow-375");
        }
        finally
        {
            Driver.Manage().Window.Size = size;
        }
    }

    [SkippableFact]
    public void SignOut_RevokesTheTokens_AndEndsTheLoginSession()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        var accessToken = (string)Script("return JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:')))).access_token")!;

        Driver.FindElement(By.Id("sign-out")).Click();
        Browser.WaitFor(By.Id("sign-in"), "the signed-out page");
        Script("return Object.keys(sessionStorage).some(k => k.startsWith('oidc.user:'))").Should().Be(false);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var client = new HttpClient { BaseAddress = fixture.Host.Origin };
        client.Send(request).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);

        // The login page's session ended too: signing in asks for the password again.
        Driver.FindElement(By.Id("sign-in")).Click();
        Browser.WaitFor(By.Id("Input_Password"), "the login page");
        Browser.Screenshot("sign-out");
    }

    [SkippableFact]
    public async Task ExpiredAccessToken_IsRenewedWithTheRotatingRefreshToken()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        const string storedUser = "JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:'))))";
        var accessToken = (string)Script($"return {storedUser}.access_token")!;
        var refreshToken = (string)Script($"return {storedUser}.refresh_token")!;

        // Make the stored access token look expired, and reload: the app renews it before calling the API.
        Script("const k = Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:')); const u = JSON.parse(sessionStorage.getItem(k)); u.expires_at = Math.floor(Date.now() / 1000) - 60; sessionStorage.setItem(k, JSON.stringify(u));");
        Driver.Navigate().Refresh();
        Browser.WaitFor(By.CssSelector("#composer[data-agent]"), "the chat, with a renewed token");
        var renewed = (string)Script($"return {storedUser}.access_token")!;
        renewed.Should().NotBe(accessToken);
        ((string)Script($"return {storedUser}.refresh_token")!).Should().NotBe(refreshToken, "refresh tokens rotate");

        // The old refresh token worked once: replaying it is refused.
        using var client = new HttpClient { BaseAddress = fixture.Host.Origin };
        using var replay = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "devana-web", ["refresh_token"] = refreshToken,
        }));
        replay.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await replay.Content.ReadAsStringAsync()).Should().Contain("invalid_grant");
    }

    [SkippableFact]
    public async Task UpstreamFailure_502_IsShownAsAReadableMessage_AndTheTurnAsNotAnswered()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.UnreliableAgent);
        SelectLlm(ConsoleHost.FailingLlm);

        Send("Are you there?");
        var error = WaitForError();
        error.Text.Should().StartWith("The LLM behind this agent failed to answer. Try again in a moment.")
            .And.Contain("503").And.Contain(FakeLlmUpstream.OverloadedMessage)
            .And.NotContain(FakeLlmUpstream.ApiKey);
        Driver.FindElements(By.CssSelector(".message.assistant")).Should().BeEmpty("a failed answer leaves no empty bubble");
        Driver.FindElement(By.Id("send")).Enabled.Should().BeTrue();
        Browser.Screenshot("upstream-502");

        // The question is kept, marked not answered, in the API and after a reload.
        var conversationId = ConversationIdFromUrl();
        var stored = await fixture.Host.MessagesAsync(conversationId);
        stored.EnumerateArray().Select(message => $"{message.GetProperty("role").GetString()}:{message.GetProperty("status").GetString()}")
            .Should().Equal("user:failed");
        Driver.Navigate().Refresh();
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message.user .warn"))
            .Any(element => element.Text.Contains("Not answered (the LLM failed).", StringComparison.Ordinal)), "the failed turn after a reload");
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public async Task UpstreamTimeout_504_IsShownAsAReadableMessage()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.UnreliableAgent);
        SelectLlm(ConsoleHost.SilentLlm);
        fixture.Upstream.ResetAbandoned();

        // The upstream never answers: the provider's timeout (TimeoutSeconds) ends the call, whatever the machine's speed.
        Send("Anyone?");
        var error = WaitForError();
        error.Text.Should().StartWith("The LLM behind this agent took too long to answer. Try again, perhaps with a shorter question.")
            .And.Contain($"did not answer within {ConsoleHost.SilentTimeoutSeconds} s");
        Driver.FindElements(By.CssSelector(".message.assistant")).Should().BeEmpty();
        Browser.Screenshot("upstream-504");
        await fixture.Upstream.SilentRequestAbandoned.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var stored = await fixture.Host.MessagesAsync(ConversationIdFromUrl());
        stored.EnumerateArray().Select(message => $"{message.GetProperty("role").GetString()}:{message.GetProperty("status").GetString()}")
            .Should().Equal("user:failed");
        Browser.CspViolations().Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Conversation_RenamedAndDeletedFromTheList_AndTheApiAgrees()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        fixture.SignInAs(ConsoleHost.AdminEmail, ConsoleHost.AdminPassword);
        SelectAgent(ConsoleHost.EchoAgent);
        Send("When do you open?");
        Browser.Wait(_ => LastAnswer().GetAttribute("data-finish") == "stop", "the answer");
        var conversationId = ConversationIdFromUrl();
        var link = By.CssSelector($"#conversations a[href='#/chat/{conversationId}']");
        Browser.Wait(driver => driver.FindElement(link).Text == "When do you open?", "the conversation in the list, titled by its first question");

        // Rename: the prompt's answer becomes the title, in the list and in the API.
        ConversationButton(conversationId, "Rename").Click();
        var prompt = WaitForDialog("the rename prompt");
        prompt.Text.Should().Be("New title");
        prompt.SendKeys("Opening hours");
        prompt.Accept();
        Browser.Wait(driver => driver.FindElement(link).Text == "Opening hours", "the renamed conversation in the list");
        var (status, renamed) = await fixture.Host.ConversationAsync(conversationId);
        status.Should().Be(System.Net.HttpStatusCode.OK);
        renamed!.Value.GetProperty("title").GetString().Should().Be("Opening hours");
        Browser.Screenshot("conversation-renamed");

        // Delete, then change one's mind: nothing is deleted.
        ConversationButton(conversationId, "Delete").Click();
        var confirm = WaitForDialog("the delete confirmation");
        confirm.Text.Should().Be("Delete \"Opening hours\"?");
        confirm.Dismiss();
        Driver.FindElement(link).Displayed.Should().BeTrue();
        (await fixture.Host.ConversationAsync(conversationId)).Status.Should().Be(System.Net.HttpStatusCode.OK);

        // Delete for real: the open conversation leaves the list and the page, and the API no longer has it.
        ConversationButton(conversationId, "Delete").Click();
        WaitForDialog("the delete confirmation").Accept();
        Browser.Wait(driver => driver.FindElements(link).Count == 0 && !driver.Url.Contains(conversationId, StringComparison.Ordinal), "the deleted conversation gone");
        Browser.Wait(driver => driver.FindElements(By.CssSelector(".message")).Count == 0, "an empty chat");
        (await fixture.Host.ConversationAsync(conversationId)).Status.Should().Be(System.Net.HttpStatusCode.NotFound);
        Driver.Navigate().GoToUrl(fixture.Url($"/app/#/chat/{conversationId}"));
        Browser.Wait(driver => driver.FindElement(By.Id("chat-status")).Text.StartsWith("Not found: it may have been deleted.", StringComparison.Ordinal), "the deleted conversation's 404, in words");
        Browser.Screenshot("conversation-deleted");
        Browser.CspViolations().Should().BeEmpty();
    }

    private void SelectLlm(string id) =>
        Browser.WaitFor(By.CssSelector($"#llm option[value='{id}']"), "the LLM picker's option " + id).Click();

    private IWebElement WaitForError() => Browser.Wait(driver => driver.FindElements(By.CssSelector("#chat-status [role=alert]"))
        .FirstOrDefault(element => element.Displayed && element.Text.Length > 0), "the error message")!;

    private IWebElement ConversationButton(string conversationId, string action) => Browser.Wait(driver => driver
        .FindElement(By.CssSelector($"#conversations a[href='#/chat/{conversationId}']"))
        .FindElement(By.XPath("./ancestor::li"))
        .FindElements(By.CssSelector("button"))
        .FirstOrDefault(button => button.Text == action), $"the conversation's {action} button")!;

    private IAlert WaitForDialog(string what) => Browser.Wait(driver =>
    {
        try
        {
            return driver.SwitchTo().Alert();
        }
        catch (NoAlertPresentException)
        {
            return null;
        }
    }, what)!;

    private void SelectAgent(string id)
    {
        var select = Browser.Wait(driver =>
        {
            var element = driver.FindElement(By.Id("agent"));
            return element.FindElements(By.CssSelector($"option[value='{id}']")).Count > 0 ? element : null;
        }, "the agent picker")!;
        select.FindElement(By.CssSelector($"option[value='{id}']")).Click();
        Browser.WaitFor(By.CssSelector($"#composer[data-agent='{id}']"), "the agent's details");
    }

    private void Send(string text)
    {
        var input = Browser.WaitFor(By.Id("message"), "the message box");
        input.SendKeys(text);
        Browser.Wait(driver => driver.FindElement(By.Id("send")).Enabled, "the send button");
        Driver.FindElement(By.Id("send")).Click();
    }

    private IWebElement LastAnswer() => Driver.FindElements(By.CssSelector(".message.assistant")).Last();

    private string ConversationIdFromUrl() =>
        Browser.Wait(driver => driver.Url.Contains("#/chat/conv_", StringComparison.Ordinal) ? driver.Url[(driver.Url.IndexOf("#/chat/", StringComparison.Ordinal) + 7)..] : null, "the conversation id in the address")!;

    private object? Script(string script) => ((IJavaScriptExecutor)Driver).ExecuteScript(script);

    private static async Task<string?> WaitForAsync(Func<Task<string?>> read)
    {
        // The server stores a cancelled answer as soon as it sees the disconnect; poll its API until then.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
