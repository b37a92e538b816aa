using System.Buffers.Binary;

namespace Distal.Cli.Plots;

/// <summary>
/// Coverage masks of DejaVu Sans glyphs (glyphs.bin, made by scripts/make-glyph-atlas.py; licence in
/// glyphs.LICENSE.txt), so PNG text needs no font, fontconfig or native library on the machine.
/// </summary>
internal sealed class GlyphAtlas
{
    private readonly GlyphFace[] _faces;

    private GlyphAtlas(GlyphFace[] faces) => _faces = faces;

    public static GlyphAtlas Instance { get; } = Load();

    public GlyphFace Face(TextSize size) => _faces[(int)size];

    private static GlyphAtlas Load()
    {
        using var stream = typeof(GlyphAtlas).Assembly.GetManifestResourceStream("Distal.Cli.Plots.glyphs.bin")
            ?? throw new InvalidOperationException("the glyph resource glyphs.bin is missing from the build");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        if (bytes.Length < 5 || bytes[0] != 'D' || bytes[1] != 'G' || bytes[2] != 'A' || bytes[3] != '1')
        {
            throw new InvalidOperationException("glyphs.bin is not a glyph atlas");
        }

        int at = 5;
        var faces = new GlyphFace[bytes[4]];
        for (int f = 0; f < faces.Length; f++)
        {
            int ascent = bytes[at + 1];
            int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 3));
            at += 5;
            var glyphs = new Dictionary<char, Glyph>(count);
            for (int g = 0; g < count; g++)
            {
                char code = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));
                int width = bytes[at + 5];
                int height = bytes[at + 6];
                glyphs[code] = new Glyph(bytes[at + 2] / 4.0, (sbyte)bytes[at + 3], (sbyte)bytes[at + 4], width, height, bytes.AsMemory(at + 7, width * height));
                at += 7 + width * height;
            }

            faces[f] = new GlyphFace(glyphs, ascent);
        }

        return new GlyphAtlas(faces);
    }
}

/// <summary>One glyph: advance in pixels, the mask's offset from the pen (left, and top above the baseline), and its coverage.</summary>
internal sealed record Glyph(double Advance, int Left, int Top, int Width, int Height, ReadOnlyMemory<byte> Coverage);

/// <summary>The glyphs of one size; characters it lacks are drawn as '?'.</summary>
internal sealed class GlyphFace(Dictionary<char, Glyph> glyphs, int ascent)
{
    public int Ascent { get; } = ascent;

    public double CapHeight { get; } = glyphs['H'].Top;

    public Glyph this[char c] => glyphs.TryGetValue(c, out var g) ? g : glyphs['?'];

    public double Measure(string text)
    {
        double width = 0;
        foreach (char c in text)
        {
            width += this[c].Advance;
        }

        return width;
    }
}
