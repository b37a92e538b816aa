using Distal.Communication.Mpi;

namespace Distal.Tests.Mpi;

public class LauncherEnvironmentTests
{
    private static LauncherEnvironment Detect(params (string Name, string Value)[] variables)
        => LauncherEnvironment.Detect(variables.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void No_launcher_means_no_mpi_and_one_rank()
    {
        var environment = Detect(("PATH", "/usr/bin"), ("HOME", "/root"));
        Assert.False(environment.UseMpi);
        Assert.Null(environment.Flavour);
        Assert.Equal(1, environment.AnnouncedSize);
    }

    [Fact]
    public void Open_mpi_launcher_is_recognised_with_its_size()
    {
        var environment = Detect(("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_RANK", "2"));
        Assert.True(environment.UseMpi);
        Assert.Equal(MpiFlavour.OpenMpi, environment.Flavour);
        Assert.Equal(4, environment.AnnouncedSize);
        Assert.Contains("OMPI_COMM_WORLD_SIZE", environment.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PMI_SIZE", "3", 3)]
    [InlineData("PMI_RANK", "0", 1)]
    [InlineData("HYDI_CONTROL_FD", "7", 1)]
    [InlineData("MPI_LOCALNRANKS", "2", 2)]
    [InlineData("I_MPI_PIN_DOMAIN", "core", 1)]
    public void Mpich_abi_launchers_are_recognised(string variable, string value, int announced)
    {
        var environment = Detect((variable, value));
        Assert.Equal(MpiFlavour.MpichAbi, environment.Flavour);
        Assert.Equal(announced, environment.AnnouncedSize);
        Assert.Contains(variable, environment.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Intel_mpi_root_alone_is_an_installation_not_a_launcher()
    {
        Assert.False(Detect(("I_MPI_ROOT", "/opt/intel/mpi")).UseMpi);
    }

    [Fact]
    public void Open_mpi_wins_over_pmi_variables_it_also_sets()
    {
        var environment = Detect(("OMPI_COMM_WORLD_SIZE", "2"), ("PMI_SIZE", "2"), ("PMIX_RANK", "0"));
        Assert.Equal(MpiFlavour.OpenMpi, environment.Flavour);
    }

    [Theory]
    [InlineData("none", null, false)]
    [InlineData("NONE", null, false)]
    [InlineData("mpich", "MpichAbi", true)]
    [InlineData(" openmpi ", "OpenMpi", true)]
    public void Distal_mpi_overrides_the_launcher(string value, string? flavour, bool useMpi)
    {
        var environment = Detect(("DISTAL_MPI", value), ("OMPI_COMM_WORLD_SIZE", "3"));
        Assert.Equal(flavour, environment.Flavour?.ToString());
        Assert.Equal(useMpi, environment.UseMpi);
        Assert.Equal(3, environment.AnnouncedSize);
    }

    [Fact]
    public void Unknown_distal_mpi_value_is_a_usage_error()
    {
        var error = Assert.Throws<DistalException>(() => Detect(("DISTAL_MPI", "lam")));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("DISTAL_MPI=lam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_path_alone_asks_for_mpi_and_lets_the_library_decide_the_flavour()
    {
        var environment = Detect(("DISTAL_MPI_LIBRARY", "/opt/mpi/lib/libmpi.so"));
        Assert.True(environment.UseMpi);
        Assert.Null(environment.Flavour);
        Assert.Equal("/opt/mpi/lib/libmpi.so", environment.LibraryPath);
    }

    [Fact]
    public void A_library_path_travels_with_the_launcher_flavour()
    {
        var environment = Detect(("DISTAL_MPI_LIBRARY", "/opt/impi/libmpi.so.12"), ("PMI_SIZE", "8"));
        Assert.Equal(MpiFlavour.MpichAbi, environment.Flavour);
        Assert.Equal("/opt/impi/libmpi.so.12", environment.LibraryPath);
        Assert.Equal(8, environment.AnnouncedSize);
    }

    [Fact]
    public void Distal_mpi_none_ignores_a_library_path()
    {
        var environment = Detect(("DISTAL_MPI", "none"), ("DISTAL_MPI_LIBRARY", "/opt/mpi/lib/libmpi.so"));
        Assert.False(environment.UseMpi);
    }

    [Fact]
    public void Srun_with_pmix_is_open_mpi_with_the_step_size()
    {
        // What srun --mpi=pmix -n 2 sets (checked under Slurm 22.05 with Open MPI 4.1): no OMPI_* variables.
        var environment = Detect(("PMIX_RANK", "1"), ("PMIX_NAMESPACE", "slurm.pmix.9.0"), ("SLURM_STEP_NUM_TASKS", "2"), ("SLURM_PROCID", "1"));
        Assert.Equal(MpiFlavour.OpenMpi, environment.Flavour);
        Assert.Equal(2, environment.AnnouncedSize);
        Assert.Contains("PMIX_RANK", environment.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Srun_with_pmi2_is_mpich_with_the_step_size()
    {
        var environment = Detect(("PMI_RANK", "0"), ("PMI_FD", "5"), ("SLURM_STEP_NUM_TASKS", "4"));
        Assert.Equal(MpiFlavour.MpichAbi, environment.Flavour);
        Assert.Equal(4, environment.AnnouncedSize);
    }

    [Fact]
    public void Srun_of_several_tasks_without_mpi_is_a_usage_error_not_n_copies()
    {
        var error = Assert.Throws<DistalException>(() => Detect(("SLURM_STEP_NUM_TASKS", "2"), ("SLURM_PROCID", "0")));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("--mpi=pmi2", error.Message, StringComparison.Ordinal);
        Assert.Contains("--mpi=pmix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_srun_task_or_distal_mpi_none_runs_as_a_single_rank()
    {
        Assert.False(Detect(("SLURM_STEP_NUM_TASKS", "1")).UseMpi);
        Assert.False(Detect(("SLURM_STEP_NUM_TASKS", "2"), ("DISTAL_MPI", "none")).UseMpi);
        // The batch script itself has SLURM_NTASKS but no step: a single process.
        Assert.False(Detect(("SLURM_NTASKS", "4"), ("SLURM_PROCID", "0")).UseMpi);
    }
}
