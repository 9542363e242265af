namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Which problem codes each operation can answer with, by HTTP status: the ones its own handler raises. The codes every
/// request of a kind can get (authentication, throttling, body and parameter checks, Idempotency-Key) are added by rule
/// in <see cref="OpenApiOperations"/>. A status an endpoint declares (ProducesProblem) with no code here is left without
/// examples, which the contract tests refuse: a new endpoint must say what its problems mean.
/// </summary>
internal static class OpenApiProblems
{
    public static readonly IReadOnlyDictionary<string, (int Status, string[] Codes)[]> ByOperation = new Dictionary<string, (int, string[])[]>
    {
        ["CreateMerchant"] = [(400, ["invalid_request"]), (409, ["token_requestor_id_taken"])],
        ["UpdateMerchant"] = [(400, ["invalid_request"]), (404, ["merchant_not_found"])],
        ["RotateMerchantKey"] = [(404, ["merchant_not_found"])],
        ["PutMerchantWebhookAsAdmin"] = [(400, ["invalid_webhook_url", "webhook_address_not_allowed"]), (404, ["merchant_not_found"])],
        ["ResyncTokens"] = [(400, ["invalid_resync_request"])],
        ["AddCard"] =
        [
            (400, ["invalid_card"]), (422, ["tokenization_declined", "pan_ineligible", "card_rejected"]),
            (503, ["network_unavailable"]),
        ],
        ["GetGatewayToken"] = [(404, ["gateway_token_not_found"]), (502, ["network_error"]), (503, ["network_unavailable"])],
        ["CreatePayment"] =
        [
            (400, ["invalid_request", "invalid_card"]), (404, ["gateway_token_not_found"]), (409, ["token_not_active"]),
            (422, ["tokenization_declined", "pan_ineligible", "card_rejected"]), (502, ["network_error"]), (503, ["network_unavailable"]),
        ],
        ["GetPayment"] = [(404, ["payment_not_found"])],
        ["CreateNetworkToken"] =
        [
            (400, ["invalid_request", "invalid_card"]), (404, ["gateway_token_not_found"]), (409, ["token_not_active"]),
            (422, ["tokenization_declined", "pan_ineligible", "card_rejected"]), (502, ["network_error"]), (503, ["network_unavailable"]),
        ],
        ["CreateCryptogram"] =
        [
            (404, ["gateway_token_not_found"]), (409, ["token_not_active"]), (502, ["network_error"]), (503, ["network_unavailable"]),
        ],
        ["DeleteGatewayToken"] =
        [
            (404, ["gateway_token_not_found"]), (409, ["token_unknown_at_network"]), (502, ["network_error"]),
            (503, ["network_unavailable", "network_outcome_unknown"]),
        ],
        ["SuspendGatewayToken"] =
        [
            (400, ["invalid_request"]), (404, ["gateway_token_not_found"]),
            (409, ["token_deactivated", "token_not_active", "token_unknown_at_network"]), (502, ["network_error"]),
            (503, ["network_unavailable", "network_outcome_unknown"]),
        ],
        ["UnsuspendGatewayToken"] =
        [
            (400, ["invalid_request"]), (404, ["gateway_token_not_found"]),
            (409, ["token_deactivated", "token_not_active", "token_unknown_at_network"]), (502, ["network_error"]),
            (503, ["network_unavailable", "network_outcome_unknown"]),
        ],
        ["DeleteGatewayTokens"] = [(400, ["invalid_request"])],
        ["SuspendGatewayTokens"] = [(400, ["invalid_request"])],
        ["UnsuspendGatewayTokens"] = [(400, ["invalid_request"])],
        ["SearchTokensForCard"] = [(400, ["invalid_card"]), (422, ["card_rejected"]), (502, ["network_error"]), (503, ["network_unavailable"])],
        ["GetCardArt"] = [(404, ["gateway_token_not_found", "card_art_unavailable"]), (502, ["card_art_invalid"]), (503, ["network_unavailable"])],
        ["GetCardArtIcon"] = [(404, ["gateway_token_not_found", "card_art_unavailable"]), (502, ["card_art_invalid"]), (503, ["network_unavailable"])],
        ["CreateTokenizationJob"] =
        [
            (400, ["empty_upload", "upload_incomplete", "invalid_idempotency_key"]), (409, ["idempotency_request_in_progress"]),
            (413, ["upload_too_large"]), (415, ["unsupported_media_type"]), (422, ["idempotency_key_reused"]),
        ],
        ["GetTokenizationJob"] = [(404, ["tokenization_job_not_found"])],
        ["ListTokenizationJobItems"] = [(400, ["invalid_item_status"]), (404, ["tokenization_job_not_found"])],
        ["CancelTokenizationJob"] = [(404, ["tokenization_job_not_found"]), (409, ["tokenization_job_finished"])],
        ["PutMerchantWebhook"] = [(400, ["invalid_webhook_url", "webhook_address_not_allowed"])],
        ["GetMerchantWebhook"] = [(404, ["webhook_not_found"])],
        ["PutHyperswitchSetup"] = [(400, ["invalid_request", "invalid_webhook_url", "webhook_address_not_allowed"]), (409, ["concurrent_update"])],
        ["GetHyperswitchSetup"] = [(404, ["hyperswitch_not_configured"])],
        // The four Hyperswitch calls: the same codes, written in Hyperswitch's error shape (OpenApiOperations, ADR 1103).
        ["HyperswitchGenerateToken"] =
        [
            (400, ["invalid_request", "invalid_card_data", "unsupported_jwe_algorithm", "key_id_mismatch", "unknown_key_id", "key_retired",
                "card_data_undecryptable", "invalid_card"]),
            (409, ["hyperswitch_not_configured", "generate_in_progress", "consent_id_reused", "key_unavailable", "hyperswitch_key_unusable",
                "token_not_active"]),
            (422, ["tokenization_declined", "pan_ineligible", "card_rejected"]), (503, ["network_unavailable"]),
        ],
        ["HyperswitchFetchToken"] =
        [
            (400, ["invalid_request"]), (404, ["card_reference_not_found"]), (409, ["token_not_active"]), (503, ["network_unavailable"]),
        ],
        ["HyperswitchCheckTokenStatus"] = [(400, ["invalid_request"]), (404, ["card_reference_not_found"])],
        ["HyperswitchDeleteToken"] =
        [
            (400, ["invalid_request"]), (404, ["card_reference_not_found"]), (409, ["token_unknown_at_network"]),
            (503, ["network_unavailable", "network_outcome_unknown"]),
        ],
        ["NotifyTokenUpdated"] =
        [
            (400, ["ntu_not_encrypted", "ntu_undecryptable", "ntu_invalid", "ntu_too_large"]),
            (401, ["ntu_unauthenticated", "ntu_client_certificate_required"]), (403, ["ntu_caller_not_allowed"]),
            (503, ["ntu_backlog_full", "ntu_storage_unavailable"]),
        ],
    };

    /// <summary>Any request: a bug on our side.</summary>
    public static readonly (int Status, string[] Codes) Always = (500, ["internal_error"]);

    /// <summary>Requests that present an API key (merchant or admin).</summary>
    public static readonly (int Status, string[] Codes)[] Authenticated =
        [(401, ["unauthorized"]), (429, ["too_many_failed_authentications"])];

    /// <summary>Merchant requests, counted against the merchant's request limit.</summary>
    public static readonly (int Status, string[] Codes) MerchantRate = (429, ["rate_limited"]);

    /// <summary>Requests with a JSON body (strict bodies, ADR 0704; hostile input, docs/security.md).</summary>
    public static readonly (int Status, string[] Codes)[] JsonBody =
    [
        (400, ["malformed_request", "unknown_field", "duplicate_field", "invalid_characters", "missing_body"]),
        (413, ["payload_too_large"]), (415, ["unsupported_media_type", "unsupported_charset"]),
    ];

    /// <summary>Requests with route or query parameters.</summary>
    public static readonly (int Status, string[] Codes) Parameters = (400, ["invalid_parameter", "invalid_characters"]);

    /// <summary>Endpoints that honour Idempotency-Key (ADR 0707).</summary>
    public static readonly (int Status, string[] Codes)[] Idempotent =
    [
        (400, ["invalid_idempotency_key"]), (409, ["idempotency_request_in_progress", "idempotency_response_unavailable"]),
        (422, ["idempotency_key_reused"]),
    ];

    public static IEnumerable<string> AllCodes() =>
        ByOperation.Values.SelectMany(list => list)
            .Concat([Always, MerchantRate, Parameters, .. Authenticated, .. JsonBody, .. Idempotent])
            .SelectMany(entry => entry.Codes)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
}
