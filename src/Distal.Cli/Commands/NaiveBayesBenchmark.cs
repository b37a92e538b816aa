using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

/// <summary>
/// `distal benchmark multinomial-naive-bayes-*`: Poisson counts with integer labels (<see cref="CountData"/>), dense or
/// CSR at `--density`, the same rows for any number of ranks.
/// </summary>
internal static class NaiveBayesBenchmark
{
    public static InputTable Generate(Communicator communicator, BenchmarkData request, int classes)
    {
        var (first, local) = CountData.Share(communicator, request.Rows);
        var labels = CountData.Labels(first, local, classes, request.Seed);
        return request.Density is { } density
            ? new InputTable(CountData.Sparse(first, local, request.Columns, classes, density, request.Seed)) { GeneratedLabels = labels }
            : new InputTable(CountData.Dense(first, local, request.Columns, classes, request.Seed)) { GeneratedLabels = labels };
    }

    /// <summary>The model of the generated rows (trained on this rank's rows alone: prediction needs any valid model).</summary>
    public static MultinomialNaiveBayesModel Train(InputTable data, int classes)
    {
        var training = new MultinomialNaiveBayesTraining(classes);
        return data.SparseDouble is { } sparse ? training.Compute(sparse, data.GeneratedLabels!) : training.Compute(data.DenseDouble!, data.GeneratedLabels!);
    }
}
