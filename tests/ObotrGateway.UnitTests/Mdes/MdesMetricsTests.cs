using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.UnitTests.Mdes;

public class MdesMetricsTests
{
    [Fact]
    public void Outcome_of_a_failure_is_a_fixed_name_never_the_exception_text()
    {
        (Exception Failure, string Expected)[] cases =
        [
            (new MdesException(MdesOperation.Tokenize, HttpStatusCode.BadRequest, [new MdesError("MDES", "INVALID_FIELD", null, null, false)], null), "mdes_error"),
            (new MdesUnavailableException(MdesOperation.Tokenize, MdesUnavailableReason.Timeout, outcomeUnknown: true), "timeout"),
            (new MdesUnavailableException(MdesOperation.Tokenize, MdesUnavailableReason.RateLimiterUnavailable, outcomeUnknown: false), "rate_limiter_unavailable"),
            (new MdesTpsLimitExceededException(MdesOperation.Tokenize, "50123456789", TimeSpan.FromSeconds(1)), "tps_limit_reached"),
            (new MdesCryptographyException(MdesCryptographyFailure.KeyUnwrapFailed, "encryptedPayload"), "cryptography_error"),
            (new OperationCanceledException(), "cancelled"),
            (new InvalidOperationException("free text that must never become a label"), "client_error"),
        ];

        cases.Select(c => MdesMetrics.Outcome(c.Failure)).ShouldBe(cases.Select(c => c.Expected));
    }

    [Fact]
    public async Task MeasureAsync_failed_call_is_counted_with_operation_outcome_and_trid_and_rethrown()
    {
        var trid = "5" + System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue); // tests run in parallel: only this one's TRID counts
        var seen = new ConcurrentBag<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Meter.Name == "ObotrGateway" && instrument.Name == "obotr.mdes.calls")
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value as string);
            if (labels.GetValueOrDefault("trid") == trid)
            {
                seen.Add($"{labels["operation"]} {labels["outcome"]}");
            }
        });
        listener.Start();

        await Should.ThrowAsync<MdesException>(() => MdesMetrics.MeasureAsync(MdesOperation.GetTaskStatus, new MdesCallContext(trid),
            Stopwatch.GetTimestamp(), Task.FromException<string>(new MdesException(MdesOperation.GetTaskStatus, HttpStatusCode.OK,
                [new MdesError("MDES", "INVALID_TASK_ID", null, null, false)], null))));
        (await MdesMetrics.MeasureAsync(MdesOperation.Transact, new MdesCallContext(trid), Stopwatch.GetTimestamp(), Task.FromResult("ok")))
            .ShouldBe("ok");

        seen.Order(StringComparer.Ordinal).ShouldBe(["get_task_status mdes_error", "transact success"]);
    }
}
