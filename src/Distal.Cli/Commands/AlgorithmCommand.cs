using System.CommandLine;
using System.Text.Json.Nodes;

namespace Distal.Cli.Commands;

/// <summary>
/// One `distal &lt;algorithm&gt;` command: its name, its daal4py-named options, and how to run it on one rank's
/// data. The shared pipeline (<see cref="CommandRunner"/>) does ranks, input, output and errors.
/// </summary>
internal abstract class AlgorithmCommand
{
    /// <summary>The command name (DESIGN.md §6).</summary>
    public abstract string Name { get; }

    /// <summary>One line for the help text.</summary>
    public abstract string Description { get; }

    /// <summary>The algorithm's own options.</summary>
    public abstract IReadOnlyList<Option> Options { get; }

    /// <summary>Whether the command trains a model (it then takes `--model-output FILE`).</summary>
    public virtual bool TrainsModel => false;

    /// <summary>Reads the options; throws <see cref="DistalException"/> (Usage) on a bad combination.</summary>
    public abstract AlgorithmRun Bind(ParseResult parse);
}

/// <summary>
/// A configured run: the algorithm objects are built once from the options (they hold options only, and resolve
/// their ranks from the rank's SPMD session when run), then <see cref="Run"/> runs on every rank.
/// </summary>
internal abstract class AlgorithmRun
{
    /// <summary>Whether the command reads the INPUT files as a data table (false for commands that take only a model).</summary>
    public virtual bool ReadsData => true;

    /// <summary>
    /// Whether the run only reduces its rows to its result (one streaming computation, no per-row output), so CSV
    /// input is streamed in cache-sized chunks by default: faster than a table in fresh memory, same result ≤ 1e-12.
    /// </summary>
    public virtual bool StreamsCsv => false;

    /// <summary>Runs on this rank's rows and returns the JSON result (identical on every rank).</summary>
    public abstract JsonObject Run(RankContext context, InputTable data);

    /// <summary>
    /// This rank's generated rows for `distal benchmark`, when the algorithm needs data of its own kind (counts with
    /// labels); null for the default uniform rows (CSR at `--density` when given).
    /// </summary>
    public virtual InputTable? Generate(Distal.Communication.Communicator communicator, BenchmarkData request) => null;
}

/// <summary>What `distal benchmark` asks to generate: total rows, columns, the seed, and a density for CSR rows (null: dense).</summary>
internal sealed record BenchmarkData(int Rows, int Columns, ulong Seed, double? Density);
