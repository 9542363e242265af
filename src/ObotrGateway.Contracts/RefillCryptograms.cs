namespace ObotrGateway.Contracts;

/// <summary>A cryptogram was taken from the vault for this token: top it up to the configured prefill.</summary>
public sealed record RefillCryptograms(string TokenUniqueReference, string TokenRequestorId);
