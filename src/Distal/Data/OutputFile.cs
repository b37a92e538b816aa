namespace Distal.Data;

/// <summary>
/// Writes output files so that they are never half-written: the content goes to a temporary file next to the target,
/// which is renamed over it only when complete (a rename within a directory is atomic). Failures become one-line
/// Distal errors that name the file.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the old file (if any) is left as it was.</summary>
    /// <exception cref="DistalException">The file cannot be written (usage: the path given is not writable).</exception>
    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckPath(path);
        string temporary = TemporaryNameFor(path);
        try
        {
            using (var stream = Open(temporary, path))
            {
                write(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            TryDelete(temporary);
            throw new DistalException(FailureKind.Usage, $"{path}: cannot write: {e.Message}");
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Checks, before a long computation, that <paramref name="path"/> can be written: its directory exists and
    /// accepts a new file, and the path is not a directory. Leaves nothing behind.
    /// </summary>
    /// <exception cref="DistalException">It cannot (usage).</exception>
    public static void CheckWritable(string path)
    {
        CheckPath(path);
        if (Directory.Exists(path))
        {
            throw new DistalException(FailureKind.Usage, $"{path}: is a directory, not a file");
        }

        string temporary = TemporaryNameFor(path);
        try
        {
            Open(temporary, path).Dispose();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DistalException(FailureKind.Usage, $"{path}: cannot write: {e.Message}");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Creates <paramref name="directory"/> if needed and checks that files can be created in it.</summary>
    /// <exception cref="DistalException">It cannot (usage).</exception>
    public static void CheckWritableDirectory(string directory)
    {
        CheckPath(directory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DistalException(FailureKind.Usage, $"{directory}: cannot create the directory: {e.Message}");
        }

        CheckWritable(Path.Combine(directory, ".distal-write-check"));
    }

    private static void CheckPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DistalException(FailureKind.Usage, "an output path is empty");
        }
    }

    private static FileStream Open(string temporary, string path)
    {
        try
        {
            return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        }
        catch (DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Usage, $"{path}: directory not found");
        }
    }

    /// <summary>A hidden name in the target's directory, unique to this process and call.</summary>
    private static string TemporaryNameFor(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Best effort: the error being reported matters more than a leftover hidden file.
        }
    }
}
