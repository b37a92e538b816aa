using System.CommandLine;
using System.Runtime.CompilerServices;
using Distal.Communication;
using Distal.Data;

namespace Distal.Cli.Commands;

/// <summary>
/// Where a regression command finds the dependent variables: the last K columns of every input (`--responses K`), or
/// separate files (`--dependent FILE...`): one per rank, as daal4py's examples load them, or one file for all rows,
/// read row for row with the INPUT rows however they are split across the ranks. Prediction takes
/// `--responses K` to skip the response columns of a file that has them.
/// </summary>
internal sealed class RegressionInputs
{
    // A benchmark reruns on the same rows: split them once per input table.
    private readonly ConditionalWeakTable<InputTable, Tuple<InputTable, InputTable>> _splits = [];

    private RegressionInputs(int responses, string[] dependent)
    {
        Responses = responses;
        Dependent = dependent;
    }

    /// <summary>K of `--responses K` (0 when not given).</summary>
    public int Responses { get; }

    /// <summary>The `--dependent` files (empty when not given).</summary>
    public string[] Dependent { get; }

    public static Option<int> ResponsesOption(string description) => new("--responses")
    {
        Description = description,
        DefaultValueFactory = _ => 0,
    };

    public static Option<string[]> DependentOption() => new("--dependent")
    {
        Description = "Dependent-variable files (n×k, any input format), row for row with the INPUT rows: one per INPUT file and rank, or one file for all rows.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Training: exactly one of `--responses K` and `--dependent FILE...`.</summary>
    public static RegressionInputs ForTraining(ParseResult parse, Option<int> responses, Option<string[]> dependent, Argument<string[]> inputs)
    {
        int k = parse.GetValue(responses);
        string[] files = parse.GetValue(dependent) ?? [];
        if (k < 0)
        {
            throw new DistalException(FailureKind.Usage, $"--responses must be at least 1, not {k}");
        }

        if ((k > 0) == (files.Length > 0))
        {
            throw new DistalException(FailureKind.Usage, "give the dependent variables either as the last K columns (--responses K) or as files (--dependent FILE...), one of the two");
        }

        if (files.Length > 0 && (parse.GetValue(inputs) ?? []).Length == 0)
        {
            throw new DistalException(FailureKind.Usage, "no INPUT file given: --dependent takes every file after it, so put the INPUT files before it");
        }

        return new RegressionInputs(k, files);
    }

    /// <summary>Prediction: `--responses K` columns to skip (0: none).</summary>
    public static RegressionInputs ForPrediction(ParseResult parse, Option<int> responses)
    {
        int k = parse.GetValue(responses);
        return k < 0 ? throw new DistalException(FailureKind.Usage, $"--responses must be at least 0, not {k}") : new RegressionInputs(k, []);
    }

    /// <summary>This rank's features and dependent variables.</summary>
    public (InputTable X, InputTable Y) TrainingRows(RankContext context, InputTable data, bool asFloat)
    {
        if (Responses > 0)
        {
            var split = Split(context, data);
            return (split.Item1, split.Item2);
        }

        var files = DependentFiles(context);
        var communicator = context.Communicator;
        if (files.Length != communicator.Size)
        {
            // One file for the rows of all ranks: each rank reads the rows that match its own.
            var aligned = asFloat
                ? new InputTable(DataInput.AgreeOnShape(communicator, context.ReadTargetRows<float>(files[0], data.Rows).Rows, files))
                : new InputTable(DataInput.AgreeOnShape(communicator, context.ReadTargetRows<double>(files[0], data.Rows).Rows, files));
            return (data, aligned);
        }

        var target = asFloat
            ? new InputTable(DataInput.Read<float>(communicator, files))
            : new InputTable(DataInput.Read<double>(communicator, files));
        return (data, target);
    }

    /// <summary>
    /// The `--dependent` files, checked collectively: one per INPUT file when there is one INPUT file per rank, or one
    /// file for all rows (however the INPUT rows are spread over the ranks).
    /// </summary>
    private string[] DependentFiles(RankContext context)
    {
        var communicator = context.Communicator;
        return communicator.Collectively(() =>
        {
            bool perRank = Dependent.Length == context.Inputs.Count && context.Inputs.Count == communicator.Size;
            if (!perRank && Dependent.Length != 1)
            {
                throw new DistalException(FailureKind.Usage, $"--dependent: give one file per INPUT file with one INPUT file per rank, or one file for all rows ({context.Inputs.Count} INPUT, {Dependent.Length} --dependent, {communicator.Size} ranks)");
            }

            return Dependent;
        });
    }

    /// <summary>Where a streamed training finds the dependent variables (the `--dependent` files are checked as for reading whole).</summary>
    public StreamTarget StreamTarget(RankContext context)
        => Responses > 0 ? Cli.StreamTarget.Columns(Responses, $"--responses {Responses}") : Cli.StreamTarget.FromFiles(DependentFiles(context), "--dependent");

    /// <summary>This rank's features for prediction (the response columns dropped when `--responses K` was given).</summary>
    public InputTable PredictionRows(RankContext context, InputTable data) => Responses == 0 ? data : Split(context, data).Item1;

    private Tuple<InputTable, InputTable> Split(RankContext context, InputTable data)
        => _splits.GetValue(data, d => context.Communicator.Collectively(() =>
        {
            if (d.Rows > 0 && d.Columns <= Responses)
            {
                throw new DistalException(FailureKind.Input, $"the input has {d.Columns} columns: --responses {Responses} leaves no feature");
            }

            var (x, y) = d.SplitColumns(Math.Max(0, d.Columns - Responses));
            return Tuple.Create(x, y);
        }));
}
