using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>The element types Distal reads and writes in .npy files.</summary>
internal enum NpyElementType
{
    /// <summary>'&lt;f8': little-endian IEEE double.</summary>
    Float64,

    /// <summary>'&lt;f4': little-endian IEEE single.</summary>
    Float32,
}

/// <summary>
/// The header of a .npy file (NumPy's format, versions 1.0, 2.0 and 3.0): magic, version, header length, and a
/// Python dict literal with 'descr', 'fortran_order' and 'shape'. Distal reads 1-D arrays as one column and 2-D
/// arrays as rows × columns, of '&lt;f8' or '&lt;f4' in C order.
/// </summary>
internal readonly record struct NpyHeader(NpyElementType ElementType, int Rows, int Columns, long DataOffset)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public int ElementSize => ElementType == NpyElementType.Float64 ? 8 : 4;

    public static NpyHeader Read(SafeFileHandle handle, string path)
    {
        long length = RandomAccess.GetLength(handle);
        Span<byte> prefix = stackalloc byte[12];
        int got = RandomAccess.Read(handle, prefix, 0);
        if (got < 10 || !prefix[..6].SequenceEqual(Magic))
        {
            throw Invalid(path, "not a .npy file (no \\x93NUMPY magic)");
        }

        byte major = prefix[6];
        int headerLength;
        int headerStart;
        // NumPy knows versions 1.0, 2.0 and 3.0 only; another minor version is a damaged or future file.
        if (major == 1 && prefix[7] == 0)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            headerStart = 10;
        }
        else if (major is 2 or 3 && prefix[7] == 0 && got == 12)
        {
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            headerLength = declared > 1 << 20 ? -1 : (int)declared;
            headerStart = 12;
        }
        else
        {
            throw Invalid(path, $".npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }

        if (headerLength < 0 || headerStart + headerLength > length)
        {
            throw Invalid(path, ".npy header is truncated");
        }

        byte[] headerBytes = new byte[headerLength];
        if (RandomAccess.Read(handle, headerBytes, headerStart) != headerLength)
        {
            throw Invalid(path, ".npy header is truncated");
        }

        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var header = Parse(text, path, headerStart + headerLength);
        long needed = header.DataOffset + ((long)header.Rows * header.Columns * header.ElementSize);
        if (length < needed)
        {
            throw Invalid(path, $".npy data is truncated: shape ({header.Rows}, {header.Columns}) needs {needed} bytes, the file has {length}");
        }

        return header;
    }

    /// <summary>The header bytes of a C-order 2-D array: version 1.0 unless the dict needs more than 65535 bytes.</summary>
    public static byte[] Format(NpyElementType type, int rows, int columns)
    {
        string descr = type == NpyElementType.Float64 ? "<f8" : "<f4";
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        // NumPy pads with spaces and ends with '\n' so the data starts at a multiple of 64 bytes.
        int prefix = 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        if (total - prefix > ushort.MaxValue)
        {
            prefix = 12;
            total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        }

        byte[] bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)(prefix == 10 ? 1 : 2);
        bytes[7] = 0;
        int headerLength = total - prefix;
        if (prefix == 10)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        }

        Encoding.ASCII.GetBytes(dict, bytes.AsSpan(prefix));
        bytes.AsSpan(prefix + dict.Length, headerLength - dict.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static NpyHeader Parse(string text, string path, long dataOffset)
    {
        var reader = new DictLiteralReader(text, path);
        string? descr = null;
        bool? fortranOrder = null;
        long[]? shape = null;
        reader.Expect('{');
        while (!reader.TryConsume('}'))
        {
            string key = reader.ReadString();
            reader.Expect(':');
            switch (key)
            {
                case "descr":
                    descr = reader.TryPeek('\'') || reader.TryPeek('"')
                        ? reader.ReadString()
                        : throw Invalid(path, "structured .npy dtypes are not supported: Distal reads '<f8' and '<f4'");
                    break;
                case "fortran_order":
                    fortranOrder = reader.ReadBoolean();
                    break;
                case "shape":
                    shape = reader.ReadTuple();
                    break;
                default:
                    throw Invalid(path, $".npy header has an unknown key '{Excerpt.Of(key)}'");
            }

            if (!reader.TryConsume(','))
            {
                reader.Expect('}');
                break;
            }
        }

        // Only the padding may follow the dict: text after it means a damaged header (NumPy's literal_eval refuses it too).
        reader.ExpectEnd();
        if (descr is null || fortranOrder is null || shape is null)
        {
            throw Invalid(path, ".npy header lacks 'descr', 'fortran_order' or 'shape'");
        }

        NpyElementType type = descr switch
        {
            "<f8" => NpyElementType.Float64,
            "<f4" => NpyElementType.Float32,
            _ => throw Invalid(path, $".npy dtype '{Excerpt.Of(descr)}' is not supported: Distal reads '<f8' (float64) and '<f4' (float32)"),
        };

        if (fortranOrder.Value)
        {
            bool vector = shape.Length == 1 || (shape.Length == 2 && (shape[0] <= 1 || shape[1] <= 1));
            if (!vector)
            {
                throw Invalid(path, ".npy array is in Fortran (column-major) order: save it in C order, e.g. numpy.save(path, numpy.ascontiguousarray(a))");
            }
        }

        if (shape.Length is 0 or > 2)
        {
            throw Invalid(path, $".npy array has {shape.Length} dimensions: Distal reads 1-D (one column) and 2-D arrays");
        }

        long rows = shape[0];
        long columns = shape.Length == 2 ? shape[1] : 1;
        if (rows * columns > Array.MaxLength || rows > int.MaxValue || columns > int.MaxValue)
        {
            throw Invalid(path, $".npy array of shape ({rows}, {columns}) is larger than one table can hold ({Array.MaxLength} values)");
        }

        return new NpyHeader(type, (int)rows, (int)columns, dataOffset);
    }

    private static DistalException Invalid(string path, string cause) => new(FailureKind.Input, $"{path}: {cause}");

    /// <summary>Reads the subset of Python literal syntax that NumPy writes in .npy headers.</summary>
    private ref struct DictLiteralReader(string text, string path)
    {
        private int _position;

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Invalid(path, $".npy header is malformed: expected '{c}' at offset {_position}");
            }
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < text.Length)
            {
                throw Invalid(path, $".npy header is malformed: unexpected text after the dict at offset {_position}");
            }
        }

        public bool TryConsume(char c)
        {
            if (TryPeek(c))
            {
                _position++;
                return true;
            }

            return false;
        }

        public bool TryPeek(char c)
        {
            SkipSpaces();
            return _position < text.Length && text[_position] == c;
        }

        public string ReadString()
        {
            SkipSpaces();
            char quote = _position < text.Length ? text[_position] : '\0';
            if (quote is not ('\'' or '"'))
            {
                throw Invalid(path, $".npy header is malformed: expected a string at offset {_position}");
            }

            int end = text.IndexOf(quote, _position + 1);
            if (end < 0)
            {
                throw Invalid(path, ".npy header is malformed: unterminated string");
            }

            string value = text[(_position + 1)..end];
            _position = end + 1;
            return value;
        }

        public bool ReadBoolean()
        {
            SkipSpaces();
            if (text.AsSpan(_position).StartsWith("True", StringComparison.Ordinal))
            {
                _position += 4;
                return true;
            }

            if (text.AsSpan(_position).StartsWith("False", StringComparison.Ordinal))
            {
                _position += 5;
                return false;
            }

            throw Invalid(path, $".npy header is malformed: expected True or False at offset {_position}");
        }

        public long[] ReadTuple()
        {
            Expect('(');
            var values = new List<long>();
            while (!TryConsume(')'))
            {
                SkipSpaces();
                int start = _position;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                if (!long.TryParse(text.AsSpan(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    throw Invalid(path, $".npy header is malformed: expected a dimension at offset {start}");
                }

                // Python 2 NumPy wrote long integers with an 'L' suffix.
                TryConsume('L');
                values.Add(value);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }

            return [.. values];
        }

        private void SkipSpaces()
        {
            // ASCII white space only: a Latin-1 no-break space or NEL is not white space to Python's literal_eval.
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                _position++;
            }
        }
    }
}
