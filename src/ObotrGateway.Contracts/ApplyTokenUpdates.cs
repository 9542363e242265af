namespace ObotrGateway.Contracts;

/// <summary>NTU inbox rows were stored: apply them to the gateway tokens (ids of ntu_inbox rows).</summary>
public sealed record ApplyTokenUpdates(IReadOnlyList<long> InboxIds);

/// <summary>
/// A token's productConfig now names asset ids it did not name before (an NTU brought new card art).
/// PrefetchCardArtConsumer fetches the ids the card art cache has never seen.
/// </summary>
public sealed record TokenAssetsChanged(string TokenUniqueReference, string TokenRequestorId, IReadOnlyList<string> AssetIds);
