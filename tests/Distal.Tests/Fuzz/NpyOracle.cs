using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>
/// The oracle of the .npy fuzz tests (<see cref="NpyFuzzer"/>): an independent reading of a file's header as the
/// Python dict literal NumPy writes, deciding whether a correct reader must accept the file (and with which values),
/// must reject it, or may do either where NumPy itself is lenient.
/// </summary>
internal static class NpyOracle
{
    /// <summary>What a correct reader must do: give <see cref="Values"/>, fail, or (when the file is outside what the
    /// oracle decides) either, as long as an accepted file gives the values of its data bytes.</summary>
    public sealed record Verdict(string Outcome, double[] Values, int Rows, int Columns, bool IsFloat, long DataOffset);

    /// <summary>The header read as the Python dict literal of the .npy format: accept, reject or either (see <see cref="Verdict"/>).</summary>
    public static Verdict Judge(byte[] input)
    {
        var reject = new Verdict("rejected", [], 0, 0, false, 0);
        if (input.Length < 10 || !input.AsSpan(0, 6).SequenceEqual((byte[])[0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']) || input[6] is < 1 or > 3 || input[7] != 0)
        {
            return reject;
        }

        int prefix = input[6] == 1 ? 10 : 12;
        if (input.Length < prefix)
        {
            return reject;
        }

        long length = prefix == 10 ? BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(8));
        if (prefix + length > input.Length)
        {
            return reject;
        }

        var headerBytes = input.AsSpan(prefix, (int)length);
        string text = input[6] == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var either = new Verdict("either", [], 0, 0, false, prefix + length);
        var dict = new DictLiteral(text);
        if (!dict.TryParse(out var entries, out bool unsure))
        {
            return unsure ? either : reject;
        }

        if (entries.Count != 3 || entries.Select(e => e.Key).Distinct().Count() != 3
            || !entries.Any(e => e.Key == "descr") || !entries.Any(e => e.Key == "fortran_order") || !entries.Any(e => e.Key == "shape"))
        {
            return entries.Select(e => e.Key).Distinct().Count() != entries.Count ? either : reject;
        }

        object descr = entries.First(e => e.Key == "descr").Value;
        object fortran = entries.First(e => e.Key == "fortran_order").Value;
        object shape = entries.First(e => e.Key == "shape").Value;
        if (descr is not string type || fortran is not bool isFortran || shape is not long[] dims)
        {
            return reject;
        }

        int size = type switch { "<f8" => 8, "<f4" => 4, "=f8" or "f8" => -8, "=f4" or "f4" => -4, _ => 0 };
        if (size == 0 || dims.Length is 0 or > 2)
        {
            return reject;
        }

        if (size < 0 || dims.Contains(0) || (isFortran && dims.Count(d => d > 1) <= 1))
        {
            // Native byte order, empty arrays and Fortran order of a vector are NumPy-legal; either answer is fine.
            return either;
        }

        if (isFortran)
        {
            return reject;
        }

        long rows = dims[0], columns = dims.Length == 2 ? dims[1] : 1;
        if (rows * columns > Array.MaxLength || rows * columns * size > input.Length - prefix - length)
        {
            return reject;
        }

        long dataOffset = prefix + length;
        var values = Decode(input.AsSpan((int)dataOffset), (int)(rows * columns), size == 4);
        if (values.Any(v => !double.IsFinite(v)))
        {
            return reject;
        }

        // Bytes after the data: NumPy ignores them; a reader may too, or refuse the file.
        return new Verdict(input.Length > dataOffset + (rows * columns * size) ? "either (bytes after the data)" : "read", values, (int)rows, (int)columns, size == 4, dataOffset);
    }

    /// <summary>The first <paramref name="count"/> little-endian f8 (or f4) values of <paramref name="data"/>.</summary>
    public static double[] Decode(ReadOnlySpan<byte> data, int count, bool isFloat)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = isFloat ? BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]) : BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
        }

        return values;
    }

    /// <summary>A strict reader of the Python dict literal NumPy writes: string keys, string, bool and int-tuple values.</summary>
    private sealed class DictLiteral(string text)
    {
        private int _at;

        /// <summary>False with <paramref name="unsure"/> set when the text uses Python syntax this reader does not decide (escapes, other literals).</summary>
        public bool TryParse(out List<KeyValuePair<string, object>> entries, out bool unsure)
        {
            entries = [];
            unsure = false;
            try
            {
                Blank();
                Expect('{');
                Blank();
                while (Peek() != '}')
                {
                    string key = String();
                    Blank();
                    Expect(':');
                    Blank();
                    entries.Add(new(key, Value()));
                    Blank();
                    if (Peek() == ',')
                    {
                        _at++;
                        Blank();
                    }
                    else if (Peek() != '}')
                    {
                        return false;
                    }
                }

                _at++;
                Blank();
                return _at == text.Length;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (NotSupportedException)
            {
                unsure = true;
                return false;
            }
        }

        private char Peek() => _at < text.Length ? text[_at] : throw new FormatException();

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException();
            }

            _at++;
        }

        private void Blank()
        {
            while (_at < text.Length && text[_at] is ' ' or '\n')
            {
                _at++;
            }

            if (_at < text.Length && (text[_at] is '\t' or '\r' or '\f' or '\v' or '\\' or '#'))
            {
                throw new NotSupportedException();
            }
        }

        private string String()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw new FormatException();
            }

            int end = text.IndexOf(quote, _at + 1);
            if (end < 0)
            {
                throw new FormatException();
            }

            string value = text[(_at + 1)..end];
            if (value.Contains('\\', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal) || value.Any(char.IsControl))
            {
                throw new NotSupportedException();
            }

            _at = end + 1;
            return value;
        }

        private object Value()
        {
            char c = Peek();
            if (c is '\'' or '"')
            {
                return String();
            }

            if (text.AsSpan(_at).StartsWith("True"))
            {
                _at += 4;
                return true;
            }

            if (text.AsSpan(_at).StartsWith("False"))
            {
                _at += 5;
                return false;
            }

            if (c != '(')
            {
                throw c is '[' or '{' or '-' or '+' || char.IsAsciiDigit(c) ? new NotSupportedException() : new FormatException();
            }

            _at++;
            Blank();
            var dims = new List<long>();
            bool comma = false;
            while (Peek() != ')')
            {
                int start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                {
                    _at++;
                }

                string digits = text[start.._at];
                if (digits.Length == 0 || (digits.Length > 1 && digits[0] == '0') || digits.Length > 18 || Peek() is '.' or 'e' or 'E' or 'j' or '_' or 'L')
                {
                    throw digits.Length == 0 && Peek() is not ('-' or '+') ? new FormatException() : new NotSupportedException();
                }

                dims.Add(long.Parse(digits, CultureInfo.InvariantCulture));
                Blank();
                comma = Peek() == ',';
                if (comma)
                {
                    _at++;
                    Blank();
                }
                else if (Peek() != ')')
                {
                    throw new FormatException();
                }
            }

            _at++;
            if (dims.Count == 1 && !comma)
            {
                // "(3)" is the integer 3 in Python, not a tuple.
                throw new NotSupportedException();
            }

            return dims.ToArray();
        }
    }
}
