namespace ObotrGateway.Api.Cryptograms;

/// <summary>The <c>Cryptograms</c> section.</summary>
internal sealed class CryptogramOptions
{
    public const string Section = "Cryptograms";

    /// <summary>How many cryptograms to keep ready per token (0 = fetch on demand only).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 20, ErrorMessage = "Cryptograms:Prefill must be 0 to 20.")]
    public int Prefill { get; set; } = 2;

    /// <summary>How long a stored cryptogram is used before it is considered stale and dropped.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:05", "1.00:00:00",
        ErrorMessage = "Cryptograms:TimeToLive must be between 5 seconds and 1 day.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(30);
}
