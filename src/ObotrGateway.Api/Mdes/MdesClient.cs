using System.Globalization;
using System.Security.Cryptography;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes;

/// <summary>
/// The gateway's MDES Digital Enablement client, in the gateway's own records: only Mdes/ knows the wire format. Every
/// call carries a fresh <c>requestId</c> and the TRID of <see cref="MdesCallContext"/>. Failures:
/// <see cref="MdesException"/> (MDES answered with an error), <see cref="MdesUnavailableException"/> (no definitive
/// answer; check <c>OutcomeUnknown</c>), <see cref="MdesCryptographyException"/>, <see cref="MdesRequestValidationException"/>.
/// </summary>
internal interface IMdesClient
{
    /// <summary>A <c>DECLINED</c> decision is a normal result (<see cref="MdesTokenized.Declined"/>), not an exception.</summary>
    Task<MdesTokenized> TokenizeAsync(CardInput card, string source, string taskId, MdesCallContext call, CancellationToken cancellationToken = default);

    /// <summary>A fresh cryptogram (CSPRNG unpredictable number); a malformed answer is MDES failing (outcome unknown).</summary>
    Task<MdesCryptogram> TransactAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default);

    Task<MdesTokenState?> GetTokenAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default);

    /// <summary>GetToken with its encrypted tokenDetail: the token number and expiry, for a payment without a cryptogram.</summary>
    Task<MdesTokenNumber?> GetTokenNumberAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default);

    /// <summary>The tokens of a card under the call's TRID (MDES returns no deleted ones).</summary>
    Task<IReadOnlyList<MdesTokenState>> SearchTokensAsync(string pan, int? expiryMonth, int? expiryYear, MdesCallContext call,
        CancellationToken cancellationToken = default);

    /// <summary>At most <see cref="MdesClient.MaxTokensPerStatusChange"/> TURs; the gateway acts as TOKEN_REQUESTOR.</summary>
    Task<IReadOnlyList<MdesTokenState>> SuspendAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MdesTokenState>> UnsuspendAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MdesTokenState>> DeleteAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default);

    /// <summary>One of <see cref="MdesTaskStatuses"/> (null when MDES sent none).</summary>
    Task<string?> GetTaskStatusAsync(string taskId, MdesCallContext call, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MdesAssetRendition>> GetAssetAsync(string assetId, MdesCallContext call, CancellationToken cancellationToken = default);
}

/// <summary>Maps the gateway's records to the wire and back; <see cref="MdesWireClient"/> does the rest.</summary>
internal sealed class MdesClient(MdesWireClient wire) : IMdesClient
{
    public const int MaxTokensPerStatusChange = TokenStatusChangeRequest.MaxTokenUniqueReferences;

    private const string CausedByTokenRequestor = "TOKEN_REQUESTOR";

    public async Task<MdesTokenized> TokenizeAsync(CardInput card, string source, string taskId, MdesCallContext call,
        CancellationToken cancellationToken = default)
    {
        var response = await wire.TokenizeAsync(new TokenizeRequest { TaskId = taskId, FundingAccountInfo = FundingAccount.Of(card, source) }, call,
            cancellationToken);
        return new MdesTokenized(response.Decision, response.PanUniqueReference, response.TokenDetail?.EncryptedData?.PaymentAccountReference,
            new MdesTokenState
            {
                TokenUniqueReference = response.TokenUniqueReference,
                TokenInfo = StateOf(response.TokenInfo),
                ProductConfig = response.ProductConfig,
            });
    }

    public async Task<MdesCryptogram> TransactAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default)
    {
        var response = await wire.TransactAsync(new TransactRequest
        {
            TokenUniqueReference = tokenUniqueReference,
            UnpredictableNumber = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
        }, call, cancellationToken);
        var data = response.EncryptedPayload?.EncryptedData;
        if (data?.AccountNumber is null || MdesCryptogram.TokenExpiryOf(data.ApplicationExpiryDate) is null || data.De48se43Data is null)
        {
            // A malformed answer is MDES failing, not the merchant: surfaced as "network unavailable".
            throw new MdesUnavailableException(MdesOperation.Transact, MdesUnavailableReason.ServerError, outcomeUnknown: true);
        }

        return new MdesCryptogram(data.AccountNumber, data.ApplicationExpiryDate!, data.PanSequenceNumber ?? "00", data.De48se43Data);
    }

    public async Task<MdesTokenState?> GetTokenAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default)
    {
        var response = await wire.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = tokenUniqueReference }, call, cancellationToken);
        return response.Token is { } token ? StateOf(token) : null;
    }

    public async Task<MdesTokenNumber?> GetTokenNumberAsync(string tokenUniqueReference, MdesCallContext call, CancellationToken cancellationToken = default)
    {
        var response = await wire.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = tokenUniqueReference, IncludeTokenDetail = true }, call,
            cancellationToken);
        return response.TokenDetail?.EncryptedData is { } detail ? new MdesTokenNumber(detail.TokenNumber, detail.ExpiryMonth, detail.ExpiryYear) : null;
    }

    public async Task<IReadOnlyList<MdesTokenState>> SearchTokensAsync(string pan, int? expiryMonth, int? expiryYear, MdesCallContext call,
        CancellationToken cancellationToken = default)
    {
        var response = await wire.SearchTokensAsync(new SearchTokensRequest { FundingAccountInfo = FundingAccount.Of(pan, expiryMonth, expiryYear) },
            call, cancellationToken);
        return [.. response.Tokens.Select(StateOf)];
    }

    public async Task<IReadOnlyList<MdesTokenState>> SuspendAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default) =>
        [.. (await wire.SuspendAsync(StatusChange(tokenUniqueReferences, reasonCode, reason), call, cancellationToken)).Tokens.Select(StateOf)];

    public async Task<IReadOnlyList<MdesTokenState>> UnsuspendAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default) =>
        [.. (await wire.UnsuspendAsync(StatusChange(tokenUniqueReferences, reasonCode, reason), call, cancellationToken)).Tokens.Select(StateOf)];

    public async Task<IReadOnlyList<MdesTokenState>> DeleteAsync(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason,
        MdesCallContext call, CancellationToken cancellationToken = default) =>
        [.. (await wire.DeleteAsync(StatusChange(tokenUniqueReferences, reasonCode, reason), call, cancellationToken)).Tokens.Select(StateOf)];

    public async Task<string?> GetTaskStatusAsync(string taskId, MdesCallContext call, CancellationToken cancellationToken = default) =>
        (await wire.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = taskId }, call, cancellationToken)).Status;

    public async Task<IReadOnlyList<MdesAssetRendition>> GetAssetAsync(string assetId, MdesCallContext call, CancellationToken cancellationToken = default) =>
        [.. (await wire.GetAssetAsync(assetId, call, cancellationToken)).MediaContents
            .Select(media => new MdesAssetRendition(media.Type, media.Data, Dimension(media.Width), Dimension(media.Height)))];

    /// <summary>A token of a wire answer or of a stored NTU payload, as the gateway's record.</summary>
    internal static MdesTokenState StateOf(MdesToken token) => new()
    {
        TokenUniqueReference = token.TokenUniqueReference,
        TokenRequestorId = token.TokenRequestorId,
        Status = token.Status,
        SuspendedBy = token.SuspendedBy,
        EventReasonCode = token.EventReasonCode,
        StatusTimestamp = token.StatusTimestamp,
        ProductConfig = token.ProductConfig,
        TokenInfo = StateOf(token.TokenInfo),
    };

    private static MdesTokenInfo? StateOf(TokenInfo? info) => info is null ? null : new MdesTokenInfo
    {
        TokenPanSuffix = info.TokenPanSuffix,
        AccountPanSuffix = info.AccountPanSuffix,
        TokenExpiry = info.TokenExpiry,
        AccountPanExpiry = info.AccountPanExpiry,
        ProductCategory = info.ProductCategory,
    };

    private static TokenStatusChangeRequest StatusChange(IReadOnlyList<string> tokenUniqueReferences, string reasonCode, string? reason) => new()
    {
        TokenUniqueReferences = tokenUniqueReferences,
        CausedBy = CausedByTokenRequestor,
        ReasonCode = reasonCode,
        Reason = reason,
    };

    private static int? Dimension(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) ? pixels : null;
}

/// <summary>The one builder of <c>fundingAccountInfo</c> (Tokenize and SearchTokens) and its one expiry format (MM, YY).</summary>
internal static class FundingAccount
{
    public static FundingAccountInfo Of(CardInput card, string source) => new()
    {
        EncryptedPayload = new FundingAccountPayload(new FundingAccountData
        {
            CardAccountData = CardAccount(card.Pan, card.ExpiryMonth, card.ExpiryYear, card.SecurityCode),
            AccountHolderData = card.CardholderName is null && card.BillingAddress is null ? null : new AccountHolderData
            {
                AccountHolderName = card.CardholderName,
                AccountHolderAddress = card.BillingAddress is not { } address ? null : new BillingAddress
                {
                    Line1 = address.Line1,
                    Line2 = address.Line2,
                    City = address.City,
                    CountrySubdivision = address.CountrySubdivision,
                    PostalCode = address.PostalCode,
                    Country = address.Country,
                },
            },
            Source = source,
        }),
    };

    public static FundingAccountInfo Of(string pan, int? expiryMonth, int? expiryYear) => new()
    {
        EncryptedPayload = new FundingAccountPayload(new FundingAccountData { CardAccountData = CardAccount(pan, expiryMonth, expiryYear, null) }),
    };

    private static CardAccountData CardAccount(string pan, int? expiryMonth, int? expiryYear, string? securityCode) => new()
    {
        AccountNumber = pan,
        ExpiryMonth = expiryMonth is { } month ? CardValidation.TwoDigits(month) : null,
        ExpiryYear = expiryYear is { } year ? CardValidation.TwoDigitYear(year) : null,
        SecurityCode = securityCode,
    };
}
