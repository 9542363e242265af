using ObotrGateway.Api.Mdes.RateLimiting;

namespace ObotrGateway.Api.Mdes;

/// <summary>
/// Who a call is made for: the merchant's TRID (the TPS cap is per TRID, and Tokenize, SearchTokens and
/// GetTaskStatus carry it on the wire) and whether a person is waiting on it.
/// </summary>
internal sealed record MdesCallContext(string TokenRequestorId, MdesCallPriority Priority = MdesCallPriority.Interactive);

/// <summary>Per-request facts the handlers below <see cref="MdesClient"/> need.</summary>
internal static class MdesRequestOptions
{
    public static readonly HttpRequestOptionsKey<MdesOperation> Operation = new("Mdes.Operation");
    public static readonly HttpRequestOptionsKey<MdesCallContext> Call = new("Mdes.Call");
}
