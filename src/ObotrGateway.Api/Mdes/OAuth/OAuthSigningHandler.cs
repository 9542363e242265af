namespace ObotrGateway.Api.Mdes.OAuth;

/// <summary>
/// Signs each attempt just before it leaves, innermost in the handler chain: the body hash covers the
/// already-encrypted bytes actually sent, and a retried read gets a fresh nonce and timestamp.
/// </summary>
internal sealed class OAuthSigningHandler(OAuthSigner signer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var header = signer.CreateAuthorizationHeader(request.Method, request.RequestUri!, body);
        request.Headers.Remove("Authorization");
        // Added unvalidated so the header goes out byte for byte as signed.
        request.Headers.TryAddWithoutValidation("Authorization", header);
        return await base.SendAsync(request, cancellationToken);
    }
}
