namespace NotebookMl.Core.Drift;

/// <summary>How a column's drift is measured.</summary>
public enum DriftMethod
{
    /// <summary>Chosen per column (see <see cref="DriftMethods.Choose"/>).</summary>
    Auto,

    /// <summary>Population stability index over reference-quantile bins or categories; drift when it reaches the threshold (0.1).</summary>
    Psi,

    /// <summary>Two-sample Kolmogorov–Smirnov test (numeric); drift when the p-value is below the threshold (0.05).</summary>
    Ks,

    /// <summary>Chi-square test on the 2×k table of counts; drift when the p-value is below the threshold (0.05).</summary>
    ChiSquare,

    /// <summary>Jensen–Shannon distance (natural log) of the binned or categorical frequencies; drift when it reaches the threshold (0.1).</summary>
    JensenShannon,

    /// <summary>Wasserstein-1 distance divided by the reference's standard deviation (numeric); drift when it reaches the threshold (0.1).</summary>
    Wasserstein,
}
