using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Devana.Web.EndToEndTests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromium-driver (packages <c>chromium</c> and
/// <c>chromium-driver</c>, which <c>.ci/run</c> installs). Nothing is downloaded: both paths are given,
/// so Selenium Manager is not asked for a browser or a driver.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";
    public const string DriverName = "chromedriver";

    private readonly string _profile;

    private Chromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Why Chromium cannot run here, or null when it can.</summary>
    public static string? MissingReason()
    {
        if (!File.Exists(BrowserPath))
        {
            return $"{BrowserPath} is missing: install Debian's chromium (apt-get install chromium chromium-driver; .ci/run does).";
        }

        if (!File.Exists(Path.Combine(DriverDirectory, DriverName)))
        {
            return $"{DriverDirectory}/{DriverName} is missing: install Debian's chromium-driver (apt-get install chromium-driver; .ci/run does).";
        }

        return null;
    }

    public static Chromium Start()
    {
        var profile = Path.Combine(Path.GetTempPath(), "devana-e2e-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,900", $"--user-data-dir={profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverName);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
        return new Chromium(driver, profile);
    }

    /// <summary>Waits for a condition; the timeout is a safety net for a hung page, not a measurement.</summary>
    public T Wait<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(60)) { Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException timeout)
        {
            // Say what the page showed, so a failure can be read without re-running it.
            var page = Driver.FindElements(By.TagName("body")).FirstOrDefault()?.Text;
            var console = string.Join(Environment.NewLine, Driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => entry.Message));
            throw new WebDriverTimeoutException($"{timeout.Message} at {Driver.Url}{Environment.NewLine}Page:{Environment.NewLine}{page}{Environment.NewLine}Console:{Environment.NewLine}{console}", timeout);
        }
    }

    public IWebElement WaitFor(By by, string what) => Wait(driver =>
    {
        var element = driver.FindElement(by);
        return element.Displayed ? element : null;
    }, what)!;

    /// <summary>Browser console lines that report a Content-Security-Policy violation.</summary>
    public IReadOnlyList<string> CspViolations() =>
        Driver.Manage().Logs.GetLog(LogType.Browser)
            .Select(entry => entry.Message)
            .Where(message => message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>Saves a screenshot under the test results (TestResults/e2e-screenshots at the repository root).</summary>
    public void Screenshot(string name)
    {
        var directory = ScreenshotDirectory();
        Directory.CreateDirectory(directory);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(directory, name + ".png"));
    }

    public static string ScreenshotDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Devana.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "e2e-screenshots");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the OS temp cleaner takes it.
        }
    }
}
