using Distal.Communication;
using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// The state of a streaming computation on one rank: the partial over the chunks added so far. A chunk that fails
/// on one rank is remembered, and the next (collective) <see cref="Finalize"/> raises it on every rank, so the other
/// ranks never wait for a rank that gave up.
/// </summary>
/// <typeparam name="TResult">The algorithm's result type.</typeparam>
internal abstract class OnlineState<TResult>
{
    /// <summary>Rows added on this rank so far.</summary>
    public long RowsSeen { get; protected set; }

    /// <summary>Folds a chunk of row-aligned inputs (exact widths: sparse chunks must carry their width).</summary>
    public abstract void Add<T>(IRowTable<T> data, Table<T>? target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>The result over every row added on every rank so far; collective; adding may continue.</summary>
    public abstract TResult Finalize();

    /// <summary>
    /// Folds in <paramref name="other"/>, a state of the same algorithm that streamed other rows of this rank (on
    /// another thread); <paramref name="other"/> is not used afterwards.
    /// </summary>
    public abstract void Absorb(OnlineState<TResult> other);
}

/// <summary>The streaming state for one partial type.</summary>
internal sealed class OnlineState<TPartial, TResult>(PartialEngine<TPartial, TResult> engine, ComputeContext context) : OnlineState<TResult>
    where TPartial : class, IPartial<TPartial>
{
    private TPartial? _partial;
    private InputShape _shape;
    private Exception? _failure;

    public override void Add<T>(IRowTable<T> data, Table<T>? target)
    {
        try
        {
            _failure?.Rethrow();
            var input = engine.Pair(data, target);
            if (input.Data.ColumnsIsLowerBound)
            {
                throw new DistalException(FailureKind.Usage, $"{engine.Algorithm.Name}: a streamed sparse chunk needs its width (give the table's column count)");
            }

            if (_partial is null)
            {
                _shape = input.Shape;
                _partial = engine.Algorithm.CreatePartial(_shape, context);
            }
            else if (input.Shape != _shape && input.Rows > 0)
            {
                throw new DistalException(FailureKind.Input, $"chunk has {Describe(input.Shape)}; earlier chunks had {Describe(_shape)}");
            }

            if (input.Rows > 0)
            {
                engine.Algorithm.Accumulate(_partial, input, context);
                RowsSeen += input.Rows;
            }
        }
        catch (Exception e) when (_failure is null)
        {
            _failure = e;
            throw;
        }
    }

    public override void Absorb(OnlineState<TResult> other)
    {
        var piece = (OnlineState<TPartial, TResult>)other;
        try
        {
            _failure?.Rethrow();
            piece._failure?.Rethrow();
            if (piece._partial is null || piece.RowsSeen == 0)
            {
                return;
            }

            if (_partial is null || RowsSeen == 0)
            {
                (_partial, _shape, RowsSeen) = (piece._partial, piece._shape, piece.RowsSeen);
                return;
            }

            if (piece._shape != _shape)
            {
                throw new DistalException(FailureKind.Input, $"chunk has {Describe(piece._shape)}; earlier chunks had {Describe(_shape)}");
            }

            _partial.Merge(piece._partial);
            RowsSeen += piece.RowsSeen;
        }
        catch (Exception e) when (_failure is null)
        {
            _failure = e;
            throw;
        }
    }

    public override TResult Finalize()
    {
        var communicator = context.Communicator;
        communicator.Collectively(() => _failure?.Rethrow());
        var shape = engine.AgreeShape(communicator, _shape, RowsSeen > 0, lowerBound: false);
        var snapshot = communicator.Collectively(() => _partial is null || RowsSeen == 0
            ? engine.Algorithm.CreatePartial(shape, context)
            : Partials.Clone(_partial));
        return engine.FinalizeCollective(snapshot, context);
    }

    private string Describe(InputShape shape)
        => engine.Algorithm.TargetName is { } target
            ? $"{shape.DataColumns} data columns and {shape.TargetColumns} {target} columns"
            : $"{shape.DataColumns} columns";
}

/// <summary>Rethrows an exception caught earlier, keeping its type.</summary>
internal static class ExceptionRethrow
{
    public static void Rethrow(this Exception error) => System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
}
