using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.TokenLifecycle;

[Collection(TokenLifecycleTestGroup.Name)]
public sealed class DeleteTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Single_delete_deactivates_archives_and_a_second_delete_calls_nobody()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var tur = await fixture.TurOfAsync(token);
            var vault = await fixture.PlantCryptogramAsync(tur);

            var first = await client.DeleteAsync($"/v1/gateway-tokens/{token}");
            var body = await first.Content.ReadFromJsonAsync<JsonElement>();
            first.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
            body.Result().ShouldBe("deleted");
            body.As<LifecycleOutcomeResponse>().Status.ShouldBe("DEACTIVATED");
            (await fixture.Simulator.Mdes.StatusOfAsync(tur)).ShouldBe("DEACTIVATED");
            (await vault.CountAsync(tur)).ShouldBe(0);

            var second = await client.DeleteAsync($"/v1/gateway-tokens/{token}");
            (await second.Content.ReadFromJsonAsync<JsonElement>()).Result().ShouldBe("already_deleted");
            (await fixture.CallsForAsync("delete", [tur])).Count.ShouldBe(1);

            // Kept (archived) for the retention period: readable as DEACTIVATED, gone from the list.
            (await client.GetTokenAsync(token)).Status.ShouldBe("DEACTIVATED");
            var list = await client.GetAsAsync<GatewayTokenListResponse>("/v1/gateway-tokens");
            list.GatewayTokens.ShouldNotContain(item => item.GatewayToken == token);
            (await ArchivedAtAsync(token)).ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Batch_delete_of_25_tokens_makes_exactly_three_mdes_delete_calls()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var tokens = await client.AddCardsAsync(25);

            var (status, body, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens });

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            var results = body.ByToken();
            results.Count.ShouldBe(25);
            results.Values.ShouldAllBe(result => result.Result == "deleted");
            body.As<LifecycleBatchResponse>().Counts["deleted"].ShouldBe(25);
            var calls = (await fixture.MdesRequestsAsync("delete"))
                .Where(entry => entry["tokenRequestorId"]?.GetValue<string>() == merchant.TokenRequestorId).ToList();
            calls.Count.ShouldBe(3);
            calls.Select(call => call["tokenUniqueReferences"]!.AsArray().Count).Order().ShouldBe([5, 10, 10]);
        }
    }

    [Fact]
    public async Task Rerun_after_injected_failure_finishes_the_rest_without_deleting_finished_tokens_again()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var tokens = await client.AddCardsAsync(15);
            var turs = new List<string>();
            foreach (var token in tokens)
            {
                turs.Add(await fixture.TurOfAsync(token));
            }

            var (_, firstTen, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens[..10] });
            firstTen.ByToken().Values.ShouldAllBe(result => result.Result == "deleted");

            JsonElement partial = default;
            await fixture.Simulator.WithFaultsAsync(new { operations = new { delete = new { errorRate = 1 } } }, async () =>
                (_, partial, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens }));
            var afterFault = partial.ByToken();
            tokens[..10].ShouldAllBe(token => afterFault[token].Result == "already_deleted");
            tokens[10..].ShouldAllBe(token => afterFault[token].Result == "failed");
            afterFault[tokens[10]].Error.ShouldBeOneOf("network_error", "network_unavailable", "outcome_unknown");

            var (status, rerun, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens });

            status.ShouldBe(HttpStatusCode.OK);
            var final = rerun.ByToken();
            tokens[..10].ShouldAllBe(token => final[token].Result == "already_deleted");
            tokens[10..].ShouldAllBe(token => final[token].Result == "deleted");
            // Every TUR was deleted at MDES by exactly one successful call.
            var deletedAtMdes = (await fixture.CallsForAsync("delete", turs))
                .Where(call => call["result"]?.GetValue<string>() == "OK")
                .SelectMany(call => call["tokenUniqueReferences"]!.AsArray().Select(tur => tur!.GetValue<string>()))
                .ToList();
            deletedAtMdes.Order().ShouldBe(turs.Order());
        }
    }

    [Fact]
    public async Task Token_already_deleted_at_mdes_is_reported_already_deleted_and_the_rest_of_its_call_goes_through()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var tokens = await client.AddCardsAsync(4);
            // As if an earlier delete timed out after MDES applied it: MDES has it DEACTIVATED, our record does not.
            var gone = await fixture.TurOfAsync(tokens[2]);
            var (consoleStatus, _) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/delete",
                new { tokenUniqueReferences = new[] { gone }, reasonCode = "ACCOUNT_CLOSED", userId = "u1", userName = "Issuer Agent" });
            consoleStatus.ShouldBe(HttpStatusCode.OK);

            var (_, body, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens });

            var results = body.ByToken();
            results[tokens[2]].Result.ShouldBe("already_deleted");
            new[] { tokens[0], tokens[1], tokens[3] }.ShouldAllBe(token => results[token].Result == "deleted");
            (await ArchivedAtAsync(tokens[2])).ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Timed_out_chunk_is_reported_outcome_unknown_and_a_rerun_finishes_it()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var tokens = await client.AddCardsAsync(3);
            // A replica whose MDES calls give up after 300 ms, against a simulator that answers Delete after 2 s.
            var settings = fixture.Settings();
            settings["Mdes:AttemptTimeout"] = "00:00:00.300";
            JsonElement timedOut = default;
            await using (var impatient = new GatewayFactory(settings, fixture.Logs))
            {
                using var impatientClient = impatient.CreateClient();
                impatientClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", merchant.ApiKey);
                await fixture.Simulator.WithFaultsAsync(new { operations = new { delete = new { latencyMs = 2000 } } }, async () =>
                    (_, timedOut, _) = await impatientClient.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens }));
            }

            timedOut.ByToken().Values.ShouldAllBe(result => result.Error == "outcome_unknown");

            var (_, rerun, _) = await client.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = tokens });

            // MDES may or may not have applied the timed-out call; either way nothing is deleted twice.
            rerun.ByToken().Values.ShouldAllBe(result => result.Result == "deleted"
                || result.Result == "already_deleted");
        }
    }

    [Fact]
    public async Task Another_merchants_token_is_not_found_and_stays_untouched()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, other) = await fixture.NewMerchantAsync();
        using (owner)
        using (other)
        {
            var token = (await owner.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;

            var single = await other.DeleteAsync($"/v1/gateway-tokens/{token}");
            var (_, batch, _) = await other.PostAsync("/v1/gateway-tokens/delete", new { gatewayTokens = new[] { token, "gt_missing" } });

            single.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await single.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("gateway_token_not_found");
            batch.ByToken()[token].Result.ShouldBe("not_found");
            batch.ByToken()["gt_missing"].Result.ShouldBe("not_found");
            (await owner.GetTokenAsync(token)).Status.ShouldNotBe("DEACTIVATED");
        }
    }

    public static TheoryData<string> BadBatches => new()
    {
        """{"gatewayTokens":[]}""",
        """{}""",
        """{"gatewayTokens":["gt_a",""]}""",
        """{"gatewayTokens":["gt_a"],"reasonCode":"BORED"}""",
        "{\"gatewayTokens\":[" + string.Join(',', Enumerable.Range(0, 501).Select(i => $"\"gt_{i}\"")) + "]}",
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Bad_batch_is_refused_with_400_and_changes_nothing(string json)
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var response = await client.PostAsync("/v1/gateway-tokens/delete", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("invalid_request");
        }
    }

    private async Task<DateTime?> ArchivedAtAsync(string gatewayToken)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var select = db.CreateCommand("SELECT archived_at FROM gateway_tokens WHERE gateway_token = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = gatewayToken });
        return await select.ExecuteScalarAsync() is DateTime archivedAt ? archivedAt : null;
    }
}
