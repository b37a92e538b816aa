using System.Text;

namespace Distal;

/// <summary>
/// A short, printable excerpt of text that came from outside (a field of a data file, an option value) for an error
/// message: a binary file must not echo raw bytes or control codes into the user's terminal.
/// </summary>
internal static class Excerpt
{
    /// <summary>The longest excerpt, in characters, before it is cut with an ellipsis.</summary>
    public const int MaximumLength = 40;

    /// <summary>The first <see cref="MaximumLength"/> characters of <paramref name="text"/>, non-printable ones as <c>\xHH</c> / <c>\uHHHH</c>.</summary>
    public static string Of(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder(Math.Min(text.Length, MaximumLength) + 8);
        int shown = 0;
        foreach (char c in text)
        {
            if (shown == MaximumLength)
            {
                result.Append('…');
                break;
            }

            if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD')
            {
                result.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            }
            else
            {
                result.Append(c);
            }

            shown++;
        }

        return result.ToString();
    }

    /// <summary>An excerpt of UTF-8 bytes; invalid sequences show as <c>\uFFFD</c>.</summary>
    public static string Of(ReadOnlySpan<byte> utf8)
        => Of(Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, MaximumLength * 4)]).AsSpan());
}
