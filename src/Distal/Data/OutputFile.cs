namespace Distal.Data;

/// <summary>Opens output files, turning the runtime's failures into one-line Distal errors that name the file.</summary>
internal static class OutputFile
{
    public static FileStream Create(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        }
        catch (DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Usage, $"{path}: directory not found");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DistalException(FailureKind.Usage, $"{path}: cannot write: {e.Message}");
        }
    }
}
