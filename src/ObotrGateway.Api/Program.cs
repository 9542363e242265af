using ObotrGateway.Api.BulkTokenization;
using ObotrGateway.Api.CardArt;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.CustomerService;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Hyperswitch;
using ObotrGateway.Api.Idempotency;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.NetworkTokens;
using ObotrGateway.Api.Notifications;
using ObotrGateway.Api.Payments;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Throttling;
using ObotrGateway.Api.TokenLifecycle;
using ObotrGateway.Api.TokenStates;
using ObotrGateway.Api.Webhooks;

var builder = WebApplication.CreateBuilder(args);

// `dotnet ObotrGateway.Api.dll migrate` applies the schema and exits (the one-shot job in compose and run.sh).
if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(builder.Configuration);
}

builder.AddJsonConsoleLogging();
builder.AddTelemetry();
builder.AddRequestLimits();
builder.AddSecurityHeaders();
builder.AddHostileInputGuard();
builder.ConfigureNotificationTls();
builder.Services.AddClock();
builder.Services.AddInfrastructureOptions(builder.Configuration);
builder.Services.AddForwardedClientAddress(builder.Configuration);
builder.Services.AddPersistence();
builder.Services.AddCardDataProtection(builder.Configuration);
builder.Services.AddIdempotency(builder.Configuration);
builder.Services.AddRedis(builder.Configuration);
builder.Services.AddMessaging();
builder.Services.AddApiProblemDetails();
builder.Services.AddGatewayHealthChecks();
builder.Services.AddGatewayOpenApi();
builder.Services.AddMerchantAccess(builder.Configuration);
builder.Services.AddThrottling(builder.Configuration);
builder.Services.AddMdes(builder.Configuration);
builder.Services.AddCryptogramVault(builder.Configuration);
builder.Services.AddTokenStates();
builder.Services.AddGatewayTokens(builder.Configuration);
builder.Services.AddPayments(builder.Configuration);
builder.Services.AddTokenLifecycle(builder.Configuration);
builder.Services.AddCardArt();
builder.Services.AddBulkTokenization(builder.Configuration);
builder.Services.AddNotifications(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddHyperswitch(builder.Configuration);

var app = builder.Build();

app.UseForwardedClientAddress();
app.UseSecurityHeaders();
app.UseHyperswitchErrorShape();
app.UseExceptionHandler();
app.UseProblemStatusCodePages();
app.UseHostileInputGuard();
app.UseAuthentication();
app.UseAuthorization();
app.UseMerchantRequestRate();
app.UseIdempotencyKeys();

app.MapGatewayHealthChecks();
app.MapGatewayOpenApi();
app.MapAdminMerchantEndpoints();
app.MapMerchantProfileEndpoints();
app.MapGatewayTokenEndpoints();
app.MapPaymentEndpoints();
app.MapNetworkTokenEndpoints();
app.MapTokenLifecycleEndpoints();
app.MapCustomerServiceEndpoints();
app.MapCardArtEndpoints();
app.MapTokenizationJobEndpoints();
app.MapNotificationEndpoints();
app.MapWebhookEndpoints();
app.MapHyperswitchEndpoints();

await app.RunAsync();
return 0;

/// <summary>Entry point type; public so WebApplicationFactory can host the gateway in integration tests.</summary>
public partial class Program;
