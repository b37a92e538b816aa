namespace Distal.Communication.Mpi;

/// <summary>
/// What the environment says about MPI: which launcher started this process (if any), how many ranks it announced,
/// and what the user forced through <c>DISTAL_MPI</c> and <c>DISTAL_MPI_LIBRARY</c>.
/// </summary>
/// <remarks>
/// The library must match the launcher: a process started by Open MPI's <c>mpirun</c> that loads MPICH (or the other
/// way round) silently becomes a world of one rank. So the flavour is read from the launcher's variables, never
/// from whichever library happens to be installed first.
/// </remarks>
internal sealed record LauncherEnvironment(MpiFlavour? Flavour, int AnnouncedSize, string Evidence, string? LibraryPath)
{
    public const string FlavourVariable = "DISTAL_MPI";
    public const string LibraryVariable = "DISTAL_MPI_LIBRARY";

    /// <summary>No launcher and nothing forced: a world of one rank without loading MPI.</summary>
    public bool UseMpi => Flavour is not null || LibraryPath is not null;

    /// <summary>Reads the process environment.</summary>
    public static LauncherEnvironment Detect()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return Detect(variables);
    }

    /// <summary>Reads the environment from <paramref name="variables"/> (tests pass their own).</summary>
    /// <exception cref="DistalException">An unknown <c>DISTAL_MPI</c> value.</exception>
    public static LauncherEnvironment Detect(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string? Variable(string name) => variables.TryGetValue(name, out string? value) ? value : null;
        string? library = NonEmpty(Variable(LibraryVariable));
        int announced = ReadAnnouncedSize(Variable);
        string? forced = NonEmpty(Variable(FlavourVariable))?.Trim().ToLowerInvariant();
        switch (forced)
        {
            case "none":
                return new LauncherEnvironment(null, announced, $"{FlavourVariable}=none", null);
            case "mpich":
                return new LauncherEnvironment(MpiFlavour.MpichAbi, announced, $"{FlavourVariable}=mpich", library);
            case "openmpi":
                return new LauncherEnvironment(MpiFlavour.OpenMpi, announced, $"{FlavourVariable}=openmpi", library);
            case null:
                break;
            default:
                throw new DistalException(FailureKind.Usage, $"{FlavourVariable}={Variable(FlavourVariable)} is not one of mpich, openmpi, none.");
        }

        if (NonEmpty(Variable("OMPI_COMM_WORLD_SIZE")) is not null)
        {
            return new LauncherEnvironment(MpiFlavour.OpenMpi, announced, "OMPI_COMM_WORLD_SIZE is set (Open MPI launcher)", library);
        }

        foreach (string name in (ReadOnlySpan<string>)["PMI_SIZE", "PMI_RANK", "HYDI_CONTROL_FD", "MPI_LOCALNRANKS"])
        {
            if (NonEmpty(Variable(name)) is not null)
            {
                return new LauncherEnvironment(MpiFlavour.MpichAbi, announced, $"{name} is set (MPICH-ABI launcher)", library);
            }
        }

        // Intel MPI's environment sets I_MPI_* variables. I_MPI_ROOT alone is left out: an environment module sets it
        // on login nodes where no launcher runs. A false positive costs only a singleton MPI start (a world of one).
        string? intel = variables.Keys.Where(k => k.StartsWith("I_MPI_", StringComparison.Ordinal) && k != "I_MPI_ROOT")
            .Order(StringComparer.Ordinal).FirstOrDefault();
        if (intel is not null)
        {
            return new LauncherEnvironment(MpiFlavour.MpichAbi, announced, $"{intel} is set (Intel MPI)", library);
        }

        // A library given without a launcher: the library's own exports decide the flavour.
        return new LauncherEnvironment(null, announced, library is null ? "no MPI launcher detected" : $"{LibraryVariable} is set", library);
    }

    /// <summary>The world size the launcher announced (1 when it announced nothing).</summary>
    private static int ReadAnnouncedSize(Func<string, string?> variable)
    {
        foreach (string name in (ReadOnlySpan<string>)["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"])
        {
            if (int.TryParse(variable(name), out int size) && size > 0)
            {
                return size;
            }
        }

        return 1;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
