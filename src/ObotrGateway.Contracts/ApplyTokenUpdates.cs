namespace ObotrGateway.Contracts;

/// <summary>NTU inbox rows were stored: apply them to the gateway tokens (ids of ntu_inbox rows).</summary>
public sealed record ApplyTokenUpdates(IReadOnlyList<long> InboxIds);

/// <summary>
/// A token's productConfig now names asset ids it did not name before. The seam for the card-art cache
/// (issue 7): its consumer fetches the ids its cache has never seen; this feature keeps no asset cache.
/// </summary>
public sealed record TokenAssetsChanged(string TokenUniqueReference, string TokenRequestorId, IReadOnlyList<string> AssetIds);
