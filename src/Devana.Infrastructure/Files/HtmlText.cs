using System.Net;
using System.Text;

namespace Devana.Infrastructure.Files;

/// <summary>
/// The visible text of an HTML document: markup stripped, the contents of <c>script</c>, <c>style</c>,
/// <c>noscript</c> and <c>template</c> dropped, comments dropped, entities decoded, whitespace collapsed
/// as a browser does (except in <c>pre</c>), block elements on lines of their own, list items marked with
/// <c>- </c> and table cells separated by <c> | </c>. A forgiving single pass: malformed markup never fails.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> s_dropped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template" };

    private static readonly HashSet<string> s_paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "section", "article",
        "aside", "header", "footer", "main", "nav", "figure", "form", "fieldset", "details", "address", "title", "hr",
    };

    private static readonly HashSet<string> s_lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "br", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "option", "legend", "body", "head", "html",
    };

    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var output = new TextOutput(html.Length);
        var preDepth = 0;
        var cellsInRow = 0;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                output.Text(html.AsSpan(i), preDepth > 0);
                break;
            }

            if (lt > i)
            {
                output.Text(html.AsSpan(i, lt - i), preDepth > 0);
            }

            i = lt;
            if (At(html, i, "<!--"))
            {
                i = SkipPast(html, i + 4, "-->");
            }
            else if (At(html, i, "<![CDATA["))
            {
                var end = html.IndexOf("]]>", i + 9, StringComparison.Ordinal);
                var stop = end < 0 ? html.Length : end;
                output.Raw(html.AsSpan(i + 9, stop - i - 9), preDepth > 0);
                i = end < 0 ? html.Length : end + 3;
            }
            else if (At(html, i, "<!") || At(html, i, "<?"))
            {
                i = SkipPast(html, i + 2, ">");
            }
            else if (At(html, i, "</") && i + 2 < html.Length && char.IsAsciiLetter(html[i + 2]))
            {
                var (name, next) = ReadName(html, i + 2);
                i = SkipPast(html, next, ">");
                if (name.Equals("pre", StringComparison.OrdinalIgnoreCase) && preDepth > 0)
                {
                    preDepth--;
                }

                Block(output, name);
            }
            else if (i + 1 < html.Length && char.IsAsciiLetter(html[i + 1]))
            {
                var (name, next) = ReadName(html, i + 1);
                i = SkipTag(html, next);
                if (s_dropped.Contains(name))
                {
                    i = SkipRawText(html, i, name);
                    continue;
                }

                if (name.Equals("pre", StringComparison.OrdinalIgnoreCase))
                {
                    preDepth++;
                }

                if (name.Equals("tr", StringComparison.OrdinalIgnoreCase))
                {
                    cellsInRow = 0;
                }

                Block(output, name);
                if (name.Equals("li", StringComparison.OrdinalIgnoreCase))
                {
                    output.Marker("- ");
                }
                else if (name.Equals("td", StringComparison.OrdinalIgnoreCase) || name.Equals("th", StringComparison.OrdinalIgnoreCase))
                {
                    if (cellsInRow++ > 0)
                    {
                        output.Marker(" | ");
                    }
                }
            }
            else
            {
                // A '<' that opens no tag ("a < b") is text.
                output.Text("<", preDepth > 0);
                i++;
            }
        }

        return output.ToString();
    }

    private static void Block(TextOutput output, string name)
    {
        if (s_paragraphs.Contains(name))
        {
            output.Break(2);
        }
        else if (s_lines.Contains(name))
        {
            output.Break(1);
        }
    }

    private static bool At(string html, int index, string token) =>
        string.CompareOrdinal(html, index, token, 0, token.Length) == 0 && index + token.Length <= html.Length;

    private static int SkipPast(string html, int from, string token)
    {
        var end = html.IndexOf(token, from, StringComparison.Ordinal);
        return end < 0 ? html.Length : end + token.Length;
    }

    private static (string Name, int Next) ReadName(string html, int from)
    {
        var end = from;
        while (end < html.Length && !char.IsWhiteSpace(html[end]) && html[end] is not ('/' or '>'))
        {
            end++;
        }

        return (html[from..end], end);
    }

    /// <summary>Past the tag's closing <c>&gt;</c>, skipping attribute values (which may hold <c>&gt;</c>).</summary>
    private static int SkipTag(string html, int from)
    {
        var i = from;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '>')
            {
                return i + 1;
            }

            if (c is '"' or '\'' && i > from && IsValueStart(html, i))
            {
                var close = html.IndexOf(c, i + 1);
                i = close < 0 ? html.Length : close + 1;
                continue;
            }

            i++;
        }

        return html.Length;
    }

    /// <summary>A quote opens an attribute value when it follows <c>=</c> (spaces allowed between).</summary>
    private static bool IsValueStart(string html, int quote)
    {
        var j = quote - 1;
        while (j >= 0 && char.IsWhiteSpace(html[j]))
        {
            j--;
        }

        return j >= 0 && html[j] == '=';
    }

    /// <summary>Past <c>&lt;/name&gt;</c> (any case), which ends a raw-text element such as <c>script</c>.</summary>
    private static int SkipRawText(string html, int from, string name)
    {
        var i = from;
        while (true)
        {
            var end = html.IndexOf("</", i, StringComparison.Ordinal);
            if (end < 0)
            {
                return html.Length;
            }

            var after = end + 2 + name.Length;
            if (after <= html.Length
                && string.Compare(html, end + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after == html.Length || char.IsWhiteSpace(html[after]) || html[after] is '>' or '/'))
            {
                return SkipPast(html, after, ">");
            }

            i = end + 2;
        }
    }

    /// <summary>Collects text, collapsing whitespace and turning block boundaries into (at most two) line breaks.</summary>
    private sealed class TextOutput(int capacity)
    {
        private readonly StringBuilder _builder = new(Math.Min(capacity, 1 << 20));
        private int _pendingBreaks;
        private bool _pendingSpace;

        public void Text(ReadOnlySpan<char> raw, bool preformatted)
        {
            if (raw.IsEmpty)
            {
                return;
            }

            var decoded = raw.Contains('&') ? WebUtility.HtmlDecode(raw.ToString()) : raw.ToString();
            Raw(decoded, preformatted);
        }

        public void Raw(ReadOnlySpan<char> text, bool preformatted)
        {
            foreach (var c in text)
            {
                if (preformatted)
                {
                    if (c == '\n')
                    {
                        _builder.Append('\n');
                        _pendingBreaks = 0;
                        _pendingSpace = false;
                        continue;
                    }

                    Flush();
                    _builder.Append(c == '\r' ? '\n' : c);
                    continue;
                }

                if (char.IsWhiteSpace(c))
                {
                    _pendingSpace = _builder.Length > 0;
                    continue;
                }

                Flush();
                _builder.Append(c);
            }
        }

        public void Marker(string marker)
        {
            Flush();
            _builder.Append(marker);
            _pendingSpace = false;
        }

        public void Break(int lines)
        {
            if (_builder.Length > 0)
            {
                _pendingBreaks = Math.Max(_pendingBreaks, lines);
                _pendingSpace = false;
            }
        }

        private void Flush()
        {
            if (_pendingBreaks > 0)
            {
                TrimTrailingSpaces();
                _builder.Append('\n', _pendingBreaks);
                _pendingBreaks = 0;
            }
            else if (_pendingSpace && _builder.Length > 0 && _builder[^1] is not (' ' or '\n'))
            {
                _builder.Append(' ');
            }

            _pendingSpace = false;
        }

        private void TrimTrailingSpaces()
        {
            while (_builder.Length > 0 && _builder[^1] == ' ')
            {
                _builder.Length--;
            }
        }

        public override string ToString() => _builder.ToString().Trim();
    }
}
