using System.Diagnostics;

namespace Distal.Tests.Infrastructure;

/// <summary>A named pipe (Linux) to feed a reader that must refuse non-seekable input.</summary>
public static class Fifo
{
    /// <summary>
    /// Creates a FIFO at <paramref name="path"/> and starts a writer of <paramref name="text"/> into it. The writer lets
    /// the reader's open proceed (opening a FIFO waits for the other end); whether its write then succeeds depends on
    /// when the reader closes, so the returned task only says that the writer is done.
    /// </summary>
    public static Task CreateWithWriter(string path, string text)
    {
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
        }

        return Task.Run(
            () =>
            {
                try
                {
                    File.WriteAllText(path, text);
                }
                catch (IOException)
                {
                }
            },
            TestContext.Current.CancellationToken);
    }
}
