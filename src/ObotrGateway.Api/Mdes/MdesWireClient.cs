using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.Resilience;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes;

/// <summary>
/// MDES Digital Enablement on the wire: stamps <c>requestId</c>/<c>responseHost</c>/<c>tokenRequestorId</c>, encrypts,
/// signs (in the handler chain), decrypts and maps error envelopes to exceptions. Only <see cref="MdesClient"/> (and
/// the wire tests) use it: every other feature talks to <see cref="IMdesClient"/> in the gateway's own records.
/// </summary>
internal sealed partial class MdesWireClient(
    HttpClient http,
    MdesPayloadCrypto crypto,
    IOptions<MdesOptions> options,
    TimeProvider timeProvider,
    ILogger<MdesWireClient> logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public Task<TokenizeResponse> TokenizeAsync(TokenizeRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<TokenizeResponse>(MdesOperation.Tokenize, request with { TokenRequestorId = call.TokenRequestorId }, call, cancellationToken);

    public Task<TransactResponse> TransactAsync(TransactRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<TransactResponse>(MdesOperation.Transact, request, call, cancellationToken);

    public Task<GetTokenResponse> GetTokenAsync(GetTokenRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<GetTokenResponse>(MdesOperation.GetToken, request, call, cancellationToken);

    public Task<SearchTokensResponse> SearchTokensAsync(SearchTokensRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<SearchTokensResponse>(MdesOperation.SearchTokens, request with { TokenRequestorId = call.TokenRequestorId }, call, cancellationToken);

    public Task<TokenStatusChangeResponse> SuspendAsync(TokenStatusChangeRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<TokenStatusChangeResponse>(MdesOperation.Suspend, Checked(request), call, cancellationToken);

    public Task<TokenStatusChangeResponse> UnsuspendAsync(TokenStatusChangeRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<TokenStatusChangeResponse>(MdesOperation.Unsuspend, Checked(request), call, cancellationToken);

    public Task<TokenStatusChangeResponse> DeleteAsync(TokenStatusChangeRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<TokenStatusChangeResponse>(MdesOperation.Delete, Checked(request), call, cancellationToken);

    public Task<GetTaskStatusResponse> GetTaskStatusAsync(GetTaskStatusRequest request, MdesCallContext call, CancellationToken cancellationToken = default) =>
        PostAsync<GetTaskStatusResponse>(MdesOperation.GetTaskStatus, request with { TokenRequestorId = call.TokenRequestorId }, call, cancellationToken);

    public Task<GetAssetResponse> GetAssetAsync(string assetId, MdesCallContext call, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(assetId))
        {
            throw new MdesRequestValidationException("An asset id is required.", nameof(assetId));
        }

        var message = new HttpRequestMessage(HttpMethod.Get, OperationUri(MdesOperation.GetAsset, "/" + Uri.EscapeDataString(assetId)));
        return MdesMetrics.MeasureAsync(MdesOperation.GetAsset, call, Stopwatch.GetTimestamp(), SendAsync<GetAssetResponse>(MdesOperation.GetAsset, message, call, requestId: null, cancellationToken));
    }

    /// <summary>A fresh id per call: MDES correlates and de-duplicates on it, so it must never be reused.</summary>
    internal static string NewRequestId() => Guid.NewGuid().ToString("N");

    private static TokenStatusChangeRequest Checked(TokenStatusChangeRequest request)
    {
        var count = request.TokenUniqueReferences?.Count ?? 0;
        if (count is 0 or > TokenStatusChangeRequest.MaxTokenUniqueReferences)
        {
            throw new MdesRequestValidationException(
                $"MDES accepts 1 to {TokenStatusChangeRequest.MaxTokenUniqueReferences} token unique references per call; got {count}.",
                nameof(request));
        }

        if (request.TokenUniqueReferences!.Any(string.IsNullOrWhiteSpace))
        {
            throw new MdesRequestValidationException("Token unique references must not be empty.", nameof(request));
        }

        return request;
    }

    private Task<TResponse> PostAsync<TResponse>(MdesOperation operation, MdesRequest request, MdesCallContext call, CancellationToken cancellationToken)
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(call.TokenRequestorId);
        var requestId = NewRequestId();
        var body = JsonSerializer.SerializeToNode(request, request.GetType(), MdesJson.Options)!.AsObject();
        body["requestId"] = requestId;
        if (!string.IsNullOrEmpty(options.Value.ResponseHost))
        {
            body["responseHost"] = options.Value.ResponseHost;
        }

        crypto.EncryptRequest(operation, body);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, MdesJson.Options));
        content.Headers.ContentType = Json;
        var message = new HttpRequestMessage(HttpMethod.Post, OperationUri(operation)) { Content = content };
        return MdesMetrics.MeasureAsync(operation, call, Stopwatch.GetTimestamp(), SendAsync<TResponse>(operation, message, call, requestId, cancellationToken));
    }

    private async Task<TResponse> SendAsync<TResponse>(
        MdesOperation operation, HttpRequestMessage message, MdesCallContext call, string? requestId, CancellationToken cancellationToken)
        where TResponse : class
    {
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Options.Set(MdesRequestOptions.Operation, operation);
        message.Options.Set(MdesRequestOptions.Call, call);
        var started = Stopwatch.GetTimestamp();
        using (message)
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCall(logger, operation, requestId, call.TokenRequestorId, (int)response.StatusCode, elapsedMs);
            return Read<TResponse>(operation, response, body);
        }
    }

    private TResponse Read<TResponse>(MdesOperation operation, HttpResponseMessage response, byte[] body)
        where TResponse : class
    {
        var status = response.StatusCode;
        var write = !operation.IsIdempotentRead();
        if (status == HttpStatusCode.TooManyRequests)
        {
            // Throttled requests are rejected before processing, so even a write did not take effect.
            throw new MdesUnavailableException(operation, MdesUnavailableReason.Throttled, outcomeUnknown: false, RetryAfter(response), status);
        }

        if (status == HttpStatusCode.ServiceUnavailable)
        {
            throw new MdesUnavailableException(operation, MdesUnavailableReason.ServerError, outcomeUnknown: write, RetryAfter(response), status);
        }

        JsonNode? root = null;
        try
        {
            root = body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // A non-JSON body is handled below as "no envelope".
        }

        if (MdesErrorParser.TryParse(root, out var errors, out var responseId))
        {
            // Some MDES errors come with HTTP 200 (sibling APIs do this); the envelope decides, not the status.
            throw new MdesException(operation, status, errors, responseId);
        }

        if ((int)status >= 500)
        {
            throw new MdesUnavailableException(operation, MdesUnavailableReason.ServerError, outcomeUnknown: write, RetryAfter(response), status);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new MdesException(operation, status, [new MdesError("HTTP", $"HTTP_{(int)status}", null, response.ReasonPhrase, false)], null);
        }

        if (root is not JsonObject json)
        {
            throw InvalidResponse(operation, status);
        }

        crypto.DecryptResponse(operation, json);
        try
        {
            return json.Deserialize<TResponse>(MdesJson.Options) ?? throw InvalidResponse(operation, status);
        }
        catch (JsonException)
        {
            throw InvalidResponse(operation, status);
        }
    }

    private static MdesException InvalidResponse(MdesOperation operation, HttpStatusCode status) =>
        new(operation, status, [new MdesError("CLIENT", "INVALID_RESPONSE_BODY", null, "The MDES response could not be read.", false)], null);

    private TimeSpan? RetryAfter(HttpResponseMessage response) => MdesResiliencePipelines.RetryAfter(response, timeProvider);

    private Uri OperationUri(MdesOperation operation, string suffix = "") =>
        new(options.Value.BaseUrl.TrimEnd('/') + operation.Path() + suffix, UriKind.Absolute);

    [LoggerMessage(Level = LogLevel.Information, Message = "MDES {Operation} request {RequestId} for TRID {TokenRequestorId}: HTTP {Status} in {ElapsedMs} ms")]
    private static partial void LogCall(ILogger logger, MdesOperation operation, string? requestId, string tokenRequestorId, int status, long elapsedMs);
}
