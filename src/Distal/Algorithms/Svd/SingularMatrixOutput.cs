namespace Distal.Algorithms;

/// <summary>Whether <see cref="Svd"/> returns a singular matrix (daal4py's <c>leftSingularMatrix</c>/<c>rightSingularMatrix</c> values).</summary>
public enum SingularMatrixOutput
{
    /// <summary>Not computed (daal4py's <c>notRequired</c>).</summary>
    NotRequired,

    /// <summary>Computed as a dense row-major matrix (daal4py's <c>requiredInPackedForm</c>).</summary>
    RequiredInPackedForm,
}
