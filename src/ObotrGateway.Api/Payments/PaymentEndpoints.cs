using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Payments;

internal static class PaymentEndpoints
{
    public static void MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var payments = app.MapMerchantGroup("/v1/payments", "Payments");

        payments.MapPost("/", CreatePayment).WithName("CreatePayment")
            .WithSummary("Authorize a payment with a gateway token (token + cryptogram) or a card (optionally tokenizing it).")
            .WithDescription("A declined authorization is a 201 with status declined. Token not ACTIVE → 409 token_not_active. "
                + "Network unavailable → 503 network_unavailable with Retry-After. Accepts Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        payments.MapGet("/{paymentId:guid}", GetPayment).WithName("GetPayment").WithSummary("One payment of the calling merchant.")
            .WithDescription("Another merchant's payment answers 404 payment_not_found, exactly like a missing one.");
    }

    internal static Task<Results<Created<PaymentView>, ProblemHttpResult>> CreatePayment(
        CreatePaymentRequest request, HttpContext context, PaymentProcessor processor, CancellationToken cancellationToken) =>
        processor.PayAsync(context.User.GetCallingMerchant(), request, cancellationToken);

    internal static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetPayment(
        Guid paymentId, HttpContext context, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var merchant = context.User.GetCallingMerchant();
        var found = await db.Payments.AsNoTracking()
            .Where(payment => payment.Id == paymentId && payment.MerchantId == merchant.MerchantId)
            .Select(payment => new { Payment = payment, GatewayToken = db.GatewayTokens.Where(t => t.Id == payment.GatewayTokenId).Select(t => t.Token).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null
            ? Problems.Create(StatusCodes.Status404NotFound, "payment_not_found", "No such payment.")
            : TypedResults.Ok(PaymentView.Of(found.Payment, found.GatewayToken));
    }
}
