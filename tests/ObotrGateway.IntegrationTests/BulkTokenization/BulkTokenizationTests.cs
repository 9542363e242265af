using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

[Collection(BulkTestGroup.Name)]
public sealed class BulkTokenizationTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Job_with300CardIneligibleRange_CallsThatRangeOnlyAFewTimes()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        var ineligible = TestPans.Distinct(TestPans.IneligibleRange, 300);
        var approved = TestPans.Distinct(TestPans.ApprovedPrefix, 100);
        fixture.ShareSample([.. ineligible.Take(5), .. approved.Take(5)]);

        var jobId = await client.StartJobAsync(BulkJobs.Ndjson([.. ineligible, .. approved]));
        var job = await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(60));

        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        job.Count("provisioned").ShouldBe(100);
        (job.Count("ineligible") + job.Count("skipped_ineligible_range")).ShouldBe(300);
        job.Count("skipped_ineligible_range").ShouldBeGreaterThanOrEqualTo(295);
        var calls = await fixture.CallsAsync("tokenize", merchant.TokenRequestorId);
        calls.Count(call => call.Result == "PAN_INELIGIBLE").ShouldBeLessThanOrEqualTo(5);
        calls.Count.ShouldBe(100 + calls.Count(call => call.Result == "PAN_INELIGIBLE"));
        (await BulkJobs.FindPansInDatabaseAsync(fixture, [.. ineligible, .. approved])).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_withBadRows_RecordsEachByLineAndProcessesTheRest()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        var good = TestPans.Distinct(TestPans.ApprovedPrefix, 3);
        var declined = TestPans.Distinct(TestPans.DeclinedRange, 1);
        var notLuhn = good[0][..15] + (char)('0' + ((good[0][15] - '0' + 1) % 10));
        fixture.ShareSample([.. good, .. declined, notLuhn]);
        var csv = string.Join("\r\n",
            "reference,pan,expiryMonth,expiryYear,cardholderName",      // 1 header
            $"a1,{good[0]},12,2031,\"ROE, JANE\"",                        // 2 ok (quoted comma)
            $"a2,{notLuhn},12,2031",                                      // 3 luhn
            $"a3,{good[1]},13,2031",                                      // 4 bad month
            $"a4,{good[1]},01,2020",                                      // 5 expired
            $",{good[1]},12,2031",                                        // 6 missing reference
            $"a1,{good[1]},12,2031",                                      // 7 duplicate reference
            "just some words",                                            // 8 malformed
            "",                                                           // 9 blank: skipped
            $"a5,{good[2]},12,31",                                        // 10 ok (two-digit year)
            $"a6,{declined[0]},12,2031");                                 // 11 declined by the issuer

        var (status, accepted, _) = await client.UploadAsync(csv, "text/csv");

        status.ShouldBe(HttpStatusCode.Accepted, accepted.ToString());
        accepted.GetProperty("invalidLines").GetInt64().ShouldBe(6);
        var jobId = accepted.GetProperty("jobId").GetString()!;
        var job = await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(30));
        job.GetProperty("status").GetString().ShouldBe("completed");
        var invalid = (await client.AllItemsAsync(jobId, "invalid"))
            .ToDictionary(item => item.GetProperty("lineNumber").GetInt64(), item => item.GetProperty("reasonCode").GetString());
        invalid.ShouldBe(new Dictionary<long, string?>
        {
            [3] = "luhn_check_failed",
            [4] = "invalid_expiry",
            [5] = "card_expired",
            [6] = "missing_reference",
            [7] = "duplicate_reference",
            [8] = "malformed_line",
        }, ignoreOrder: true);
        var items = (await client.AllItemsAsync(jobId)).Where(item => item.GetProperty("status").GetString() != "invalid")
            .ToDictionary(item => item.GetProperty("reference").GetString()!, item => item.GetProperty("status").GetString());
        items.ShouldBe(new Dictionary<string, string?> { ["a1"] = "provisioned", ["a5"] = "provisioned", ["a6"] = "declined" }, ignoreOrder: true);
        (await BulkJobs.FindPansInDatabaseAsync(fixture, [.. good, .. declined, notLuhn])).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancel_midJob_CancelsPendingItemsAndLetsInFlightOnesFinish()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 400);
        fixture.ShareSample(pans);
        var jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
        await Task.Delay(1500);

        var (status, cancelled, _) = await client.PostAsync($"/v1/tokenization-jobs/{jobId}/cancel", new { }, idempotencyKey: "cancel-" + jobId);

        status.ShouldBe(HttpStatusCode.Accepted, cancelled.ToString());
        var job = await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(30));
        job.GetProperty("status").GetString().ShouldBe("cancelled", job.ToString());
        job.Count("cancelled").ShouldBeGreaterThan(0);
        (job.Count("provisioned") + job.Count("cancelled")).ShouldBe(400, job.ToString());
        (await fixture.CallsAsync("tokenize", merchant.TokenRequestorId)).Count.ShouldBe((int)job.Count("provisioned"));
        (await client.PostAsync($"/v1/tokenization-jobs/{jobId}/cancel", new { })).Body.Code().ShouldBe("tokenization_job_finished");
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_sameIdempotencyKey_ReplaysTheJobAndRefusesOtherBytes()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 3);
        fixture.ShareSample(pans);
        var body = BulkJobs.Ndjson(pans);

        var first = await client.UploadAsync(body, idempotencyKey: "bulk-1");
        var again = await client.UploadAsync(body, idempotencyKey: "bulk-1");
        var other = await client.UploadAsync(BulkJobs.Ndjson(pans.Take(2)), idempotencyKey: "bulk-1");

        first.Status.ShouldBe(HttpStatusCode.Accepted);
        again.Status.ShouldBe(HttpStatusCode.Accepted);
        again.Body.GetProperty("jobId").GetString().ShouldBe(first.Body.GetProperty("jobId").GetString());
        again.Response.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        other.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        other.Body.Code().ShouldBe("idempotency_key_reused");
        (await client.WaitForEndAsync(first.Body.GetProperty("jobId").GetString()!, TimeSpan.FromSeconds(20))).Count("provisioned").ShouldBe(3);
    }

    [Fact]
    public async Task Upload_unsupportedTypeOrEmpty_IsRefusedAndCreatesNoJob()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();

        var json = await client.UploadAsync("{}", "application/json");
        var empty = await client.UploadAsync("\n\n", "text/csv");

        json.Status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        json.Body.Code().ShouldBe("unsupported_media_type");
        empty.Status.ShouldBe(HttpStatusCode.BadRequest);
        empty.Body.Code().ShouldBe("empty_upload");
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM tokenization_jobs WHERE merchant_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = merchant.MerchantId });
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Job_ofAnotherMerchant_AnswersNotFound()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, stranger) = await fixture.NewMerchantAsync();
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 1);
        fixture.ShareSample(pans);
        var jobId = await owner.StartJobAsync(BulkJobs.Ndjson(pans));

        var job = await stranger.GetAsync($"/v1/tokenization-jobs/{jobId}");
        var items = await stranger.GetAsync($"/v1/tokenization-jobs/{jobId}/items");
        var cancel = await stranger.PostAsync($"/v1/tokenization-jobs/{jobId}/cancel", new { });

        job.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await job.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("tokenization_job_not_found");
        items.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        cancel.Status.ShouldBe(HttpStatusCode.NotFound);
        await owner.WaitForEndAsync(jobId, TimeSpan.FromSeconds(20));
    }
}
