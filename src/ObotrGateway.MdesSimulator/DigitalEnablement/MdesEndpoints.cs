namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>MDES Digital Enablement API at base path <c>/mdes</c>, operation paths as in contract §1.1.</summary>
internal static partial class MdesEndpoints
{
    public static IEndpointRouteBuilder MapMdes(this IEndpointRouteBuilder app)
    {
        var mdes = app.MapGroup("/mdes").AddEndpointFilter<MdesGatewayFilter>().WithTags("MDES Digital Enablement");
        Operation(mdes.MapPost("/digitization/static/1/0/tokenize", Tokenize), "tokenize");
        Operation(mdes.MapPost("/remotetransaction/static/1/0/transact", Transact), "transact");
        Operation(mdes.MapPost("/digitization/static/1/0/getToken", GetToken), "getToken");
        Operation(mdes.MapPost("/digitization/static/1/0/searchTokens", SearchTokens), "searchTokens");
        Operation(mdes.MapPost("/digitization/static/1/0/suspend", Suspend), "suspend");
        Operation(mdes.MapPost("/digitization/static/1/0/unsuspend", Unsuspend), "unsuspend");
        Operation(mdes.MapPost("/digitization/static/1/0/delete", Delete), "delete");
        Operation(mdes.MapPost("/digitization/static/1/0/getTaskStatus", GetTaskStatus), "getTaskStatus");
        Operation(mdes.MapGet("/assets/static/1/0/asset/{assetId}", GetAsset), "getAsset");
        return app;
    }

    private static void Operation(RouteHandlerBuilder endpoint, string name) =>
        endpoint.WithMetadata(new MdesOperation(name)).WithName("mdes-" + name)
            .WithDescription("Signed with OAuth 1.0a (RSA-SHA256, oauth_body_hash); see docs/simulator.md.");
}
