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

    /// <summary>Slurm's task count of the current srun step.</summary>
    private const string SlurmStepTasks = "SLURM_STEP_NUM_TASKS";

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

        // A PMIx server (srun --mpi=pmix, prun, Open MPI 5's mpirun) without Open MPI's own variables: of the two
        // families, Open MPI is the one whose builds talk PMIx (MPICH's default builds use PMI-1/PMI-2, which set PMI_*).
        if (NonEmpty(Variable("PMIX_RANK")) is not null)
        {
            return new LauncherEnvironment(MpiFlavour.OpenMpi, announced, "PMIX_RANK is set (a PMIx launcher such as srun --mpi=pmix; Open MPI)", library);
        }

        if (library is null && announced > 1 && NonEmpty(Variable(SlurmStepTasks)) is not null)
        {
            // srun started several tasks but no MPI wire-up: each would run the whole job alone and write the same
            // outputs. That is a launch mistake, not N jobs; DISTAL_MPI=none asks for independent copies explicitly.
            throw new DistalException(
                FailureKind.Usage,
                $"srun started {announced} tasks without an MPI plugin, so each would run alone: use srun --mpi=pmi2 (MPICH) " +
                $"or srun --mpi=pmix (Open MPI), or set {FlavourVariable}=none for independent single-rank runs.");
        }

        // A library given without a launcher: the library's own exports decide the flavour.
        return new LauncherEnvironment(null, announced, library is null ? "no MPI launcher detected" : $"{LibraryVariable} is set", library);
    }

    /// <summary>The world size the launcher announced (1 when it announced nothing).</summary>
    private static int ReadAnnouncedSize(Func<string, string?> variable)
    {
        // SLURM_STEP_NUM_TASKS is set only inside an srun step (not in the batch script itself), so it is the size
        // of the world srun started.
        foreach (string name in (ReadOnlySpan<string>)["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS", SlurmStepTasks])
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
