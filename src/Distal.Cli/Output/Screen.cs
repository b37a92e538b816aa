namespace Distal.Cli.Output;

/// <summary>
/// The space a table may take: the terminal's size when standard output is one, else COLUMNS and LINES when set,
/// else 120 × 40 (a table piped to a file is elided like on a common terminal; --format json gives everything).
/// </summary>
internal readonly record struct Screen(int Width, int Height)
{
    public static Screen Current()
    {
        int width = FromEnvironment("COLUMNS") ?? 0, height = FromEnvironment("LINES") ?? 0;
        if (!Console.IsOutputRedirected)
        {
            try
            {
                width = width > 0 ? width : Console.WindowWidth;
                height = height > 0 ? height : Console.WindowHeight;
            }
            catch (IOException)
            {
                // No console window (a detached process): keep the defaults below.
            }
        }

        return new Screen(width >= 40 ? width : 120, height >= 10 ? height : 40);
    }

    /// <summary>Rows of one matrix that fit: the screen less room for headers, notes and the other tables.</summary>
    public int MatrixRows => Math.Max(6, Height - 12);

    private static int? FromEnvironment(string name)
        => int.TryParse(Environment.GetEnvironmentVariable(name), out int value) && value > 0 ? value : null;
}
