using Devana.Infrastructure.Files;

namespace Devana.Infrastructure.IntegrationTests.Files;

public sealed class HtmlTextTests
{
    [Fact]
    public void ToText_KeepsVisibleTextAndDropsMarkupScriptsAndStyles()
    {
        const string html = """
            <!DOCTYPE html><html><head><title>Doc title</title><style>body { color: red; }</style>
            <script>var x = "<p>not text</p>"; if (a < b) {}</script></head>
            <body><!-- a comment --><h1>Heading &amp; more</h1><p>First   paragraph
            with a <a href="x" title="a > b">link</a>.</p><ul><li>one</li><li>two</li></ul>
            <table><tr><th>Name</th><th>Role</th></tr><tr><td>Ada</td><td>Engineer</td></tr></table>
            <pre>line 1
              line 2</pre><noscript>Enable JS</noscript><p>5 &lt; 6 &nbsp;and&#160;done</p></body></html>
            """;

        var text = HtmlText.ToText(html);

        text.Should().Be("Doc title\n\nHeading & more\n\nFirst paragraph with a link.\n\n- one\n- two\n\nName | Role\nAda | Engineer\n\nline 1\n  line 2\n\n5 < 6 and done");
    }

    [Theory]
    [InlineData("<SCRIPT type='text/javascript'>alert('x')</SCRIPT >after", "after")]
    [InlineData("<style>p{}</style\n>after", "after")]
    [InlineData("before<script>never closed", "before")]
    [InlineData("a <!-- never closed", "a")]
    [InlineData("x < y and y > z", "x < y and y > z")]
    [InlineData("<p>unclosed <b>bold", "unclosed bold")]
    [InlineData("<div>a</div><div>b</div>", "a\nb")]
    [InlineData("line<br>break<br/>again", "line\nbreak\nagain")]
    [InlineData("<![CDATA[raw <text>]]>", "raw <text>")]
    [InlineData("<template><p>hidden</p></template>shown", "shown")]
    [InlineData("caf&eacute; &#x1F600; &unknown;", "café 😀 &unknown;")]
    public void ToText_HandlesMalformedAndEdgeCases(string html, string expected) =>
        HtmlText.ToText(html).Should().Be(expected);
}
