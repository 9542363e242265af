namespace ObotrGateway.Api.Mdes;

internal enum MdesOperation
{
    Tokenize,
    Transact,
    Delete,
    Suspend,
    Unsuspend,
    GetToken,
    SearchTokens,
    GetTaskStatus,
    GetAsset,
    NotifyTokenUpdated,
}

internal static class MdesOperationExtensions
{
    /// <summary>
    /// Reads may be repeated safely. The writes create tokens, mint cryptograms or change token state, so
    /// repeating one after an unknown outcome could double-act (contract §2; ADR 0102).
    /// </summary>
    public static bool IsIdempotentRead(this MdesOperation operation) =>
        operation is MdesOperation.GetToken or MdesOperation.GetTaskStatus or MdesOperation.GetAsset or MdesOperation.SearchTokens;

    public static string Path(this MdesOperation operation) => operation switch
    {
        MdesOperation.Tokenize => "/digitization/static/1/0/tokenize",
        MdesOperation.Transact => "/remotetransaction/static/1/0/transact",
        MdesOperation.Delete => "/digitization/static/1/0/delete",
        MdesOperation.Suspend => "/digitization/static/1/0/suspend",
        MdesOperation.Unsuspend => "/digitization/static/1/0/unsuspend",
        MdesOperation.GetToken => "/digitization/static/1/0/getToken",
        MdesOperation.SearchTokens => "/digitization/static/1/0/searchTokens",
        MdesOperation.GetTaskStatus => "/digitization/static/1/0/getTaskStatus",
        MdesOperation.GetAsset => "/assets/static/1/0/asset",
        MdesOperation.NotifyTokenUpdated => "/digitization/static/1/0/notifyTokenUpdated",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
