using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ObotrGateway.Api.CardArt.Imaging;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.TokenLifecycle;
using SkiaSharp;

namespace ObotrGateway.IntegrationTests.CardArt;

[Collection(CardsTestGroup.Name)]
public sealed class CardArtTests(GatewayFixture fixture)
{
    // Simulator test card: APPROVED, debit, combined background, PDF brand logo (docs/simulator.md).
    private const string DebitWithPdfBrandLogo = "5204730000800008";

    private static readonly SKColor Teal = new(0x0F, 0x76, 0x6E);
    private static readonly SKColor IssuerBlue = new(0x1E, 0x3A, 0x8A);
    private static readonly SKColor CoBrandSky = new(0x0E, 0xA5, 0xE9);
    private static readonly SKColor MastercardOrange = new(0xFF, 0x5F, 0x00);

    private async Task<int> AssetCallsAsync() => (await fixture.MdesRequestsAsync("getAsset")).Count;

    private static async Task<(HttpResponseMessage Response, byte[] Bytes)> GetAsync(HttpClient client, string path, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static void ShouldBeNear(SKColor actual, SKColor expected, string where)
    {
        var distance = Math.Max(Math.Abs(actual.Red - expected.Red), Math.Max(Math.Abs(actual.Green - expected.Green), Math.Abs(actual.Blue - expected.Blue)));
        distance.ShouldBeLessThanOrEqualTo(8, $"{where}: got {actual}, expected {expected}");
    }

    [Fact]
    public async Task Co_branded_card_without_combined_background_is_composited_at_1536x969_with_the_logos_in_their_areas()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = (await client.AddCardAsync(TestCards.CoBranded)).As<GatewayTokenResponse>().GatewayToken;

            var (response, bytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
            response.Headers.ETag.ShouldNotBeNull();
            response.Headers.CacheControl!.ToString().ShouldContain("immutable");
            response.Headers.CacheControl.Public.ShouldBeTrue();
            response.Headers.CacheControl.MaxAge.ShouldBe(TimeSpan.FromSeconds(31536000));
            using var image = SKBitmap.Decode(bytes);
            image.Width.ShouldBe(1536);
            image.Height.ShouldBe(969);
            ShouldBeNear(image.GetPixel(40, 40), Teal, "outside every logo area");
            ShouldBeNear(image.GetPixel(768, 500), Teal, "card middle");
            // Issuer (left) and co-brand (right) side by side in the top logo area C×D at (82, 57).
            ShouldBeNear(image.GetPixel(606, 198), IssuerBlue, "issuer logo");
            ShouldBeNear(image.GetPixel(1120, 246), CoBrandSky, "co-brand logo");
            // Brand logo bottom-right in E×D at (995, 629): the overlap of the two circles.
            ShouldBeNear(image.GetPixel(1227, 770), MastercardOrange, "brand logo");
        }
    }

    [Fact]
    public async Task Second_request_for_the_same_card_art_makes_no_mdes_call_and_if_none_match_gives_304()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        var (_, other) = await fixture.NewMerchantAsync();
        using (client)
        using (other)
        {
            var token = (await client.AddCardAsync(TestCards.CoBranded)).As<GatewayTokenResponse>().GatewayToken;
            var otherToken = (await other.AddCardAsync(TestCards.CoBranded)).As<GatewayTokenResponse>().GatewayToken;
            var (first, firstBytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art");
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            var (icon, _) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art/icon");
            icon.StatusCode.ShouldBe(HttpStatusCode.OK);
            var calls = await AssetCallsAsync();

            var (again, againBytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art");
            var (sameArt, _) = await GetAsync(other, $"/v1/gateway-tokens/{otherToken}/card-art");
            var (iconAgain, _) = await GetAsync(other, $"/v1/gateway-tokens/{otherToken}/card-art/icon");
            var (notModified, notModifiedBytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art", first.Headers.ETag!.ToString());

            (await AssetCallsAsync()).ShouldBe(calls);
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
            againBytes.ShouldBe(firstBytes);
            sameArt.Headers.ETag.ShouldBe(first.Headers.ETag);
            iconAgain.StatusCode.ShouldBe(HttpStatusCode.OK);
            notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
            notModifiedBytes.ShouldBeEmpty();
            notModified.Headers.ETag.ShouldBe(first.Headers.ETag);
        }
    }

    [Fact]
    public async Task Pan_suffix_is_drawn_in_the_foreground_colour_and_kept_out_of_shared_caches()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = (await client.AddCardAsync(TestCards.CoBranded)).As<GatewayTokenResponse>().GatewayToken;
            var (plain, _) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art");

            var (response, bytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art?panSuffix=true");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.ETag.ShouldNotBe(plain.Headers.ETag);
            response.Headers.CacheControl!.Private.ShouldBeTrue();
            using var image = SKBitmap.Decode(bytes);
            var area = CardArtLayout.PanTextArea;
            var black = 0;
            for (var y = area.Y; y < area.Bottom; y++)
            {
                for (var x = area.X; x < area.X + area.Width; x++)
                {
                    black += image.GetPixel(x, y) == SKColors.Black ? 1 : 0;
                }
            }

            black.ShouldBeGreaterThan(1000); // "•••• 0000" in the product's foregroundColor 000000
        }
    }

    [Fact]
    public async Task Card_with_a_combined_background_gets_that_asset_even_when_its_brand_logo_is_a_pdf()
    {
        fixture.SecretsSeen.Add(DebitWithPdfBrandLogo);
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var added = await client.AddCardAsync(DebitWithPdfBrandLogo);
            var token = added.GetProperty("gatewayToken").GetString()!;
            var combined = added.GetProperty("productConfig").GetProperty("cardBackgroundCombinedAssetId").GetString()!;

            var (response, bytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art");
            var (icon, iconBytes) = await GetAsync(client, $"/v1/gateway-tokens/{token}/card-art/icon");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
            response.Headers.ETag!.Tag.ShouldBe($"\"asset-{combined}\"");
            SKBitmap.Decode(bytes).Width.ShouldBe(1536);
            icon.StatusCode.ShouldBe(HttpStatusCode.OK);
            SKBitmap.Decode(iconBytes).Width.ShouldBe(100);
        }
    }

    [Fact]
    public async Task Card_art_of_another_merchants_token_is_not_found()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, other) = await fixture.NewMerchantAsync();
        using (owner)
        using (other)
        {
            var token = (await owner.AddCardAsync(TestCards.CoBranded)).As<GatewayTokenResponse>().GatewayToken;

            var (art, artBytes) = await GetAsync(other, $"/v1/gateway-tokens/{token}/card-art");
            var (icon, _) = await GetAsync(other, $"/v1/gateway-tokens/{token}/card-art/icon");

            art.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            JsonDocument.Parse(artBytes).RootElement.Code().ShouldBe("gateway_token_not_found");
            icon.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }
}
