namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>Outcome of <see cref="CardArtCompositor.ComposePng"/>: a PNG, or why there is none.</summary>
internal abstract record CardArtCompositionResult
{
    private CardArtCompositionResult()
    {
    }

    /// <summary>The combined 1536×969 image, PNG-encoded.</summary>
    internal sealed record Composed(byte[] Png) : CardArtCompositionResult;

    /// <summary>
    /// Nothing was composed because of <paramref name="Component"/> (the first offending one in the order
    /// background, issuer logo, co-brand logo, brand logo; PDF components are reported before broken ones).
    /// </summary>
    internal sealed record NotCompositable(CardArtComponent Component, NotCompositableReason Reason, string Detail)
        : CardArtCompositionResult;
}
