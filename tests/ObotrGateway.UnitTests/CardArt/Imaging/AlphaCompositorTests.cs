using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class AlphaCompositorTests
{
    [Theory]
    [InlineData(255, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255)]
    [InlineData(255, 0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255)]
    [InlineData(255, 0, 0, 128, 0, 0, 255, 255, 128, 0, 127, 255)]
    [InlineData(255, 0, 0, 128, 0, 0, 0, 0, 255, 0, 0, 128)]
    [InlineData(0, 255, 0, 128, 0, 0, 255, 128, 0, 170, 85, 192)]
    public void Blend_source_over_matches_Porter_Duff(
        byte sr, byte sg, byte sb, byte sa, byte dr, byte dg, byte db, byte da, byte er, byte eg, byte eb, byte ea)
    {
        byte[] destination = [dr, dg, db, da];

        AlphaCompositor.Blend([sr, sg, sb, sa], destination);

        destination.ShouldBe(new[] { er, eg, eb, ea });
    }

    [Fact]
    public void DrawOver_clips_at_the_edges_and_leaves_the_rest()
    {
        var canvas = RgbaImage.Filled(10, 10, Rgba32.Opaque(0, 0, 0));
        var square = RgbaImage.Filled(4, 4, Rgba32.Opaque(255, 255, 255));

        AlphaCompositor.DrawOver(canvas, square, -2, 8);

        canvas.GetPixel(0, 8).ShouldBe(Rgba32.Opaque(255, 255, 255));
        canvas.GetPixel(1, 9).ShouldBe(Rgba32.Opaque(255, 255, 255));
        canvas.GetPixel(2, 9).ShouldBe(Rgba32.Opaque(0, 0, 0));
        canvas.GetPixel(0, 7).ShouldBe(Rgba32.Opaque(0, 0, 0));
    }

    [Theory]
    [InlineData("FFF", 255, 255, 255)]
    [InlineData("1A2B3C", 0x1A, 0x2B, 0x3C)]
    [InlineData("#abc", 0xAA, 0xBB, 0xCC)]
    [InlineData("000000", 0, 0, 0)]
    public void TryParseHex_accepts_3_and_6_digit_colours(string value, byte r, byte g, byte b)
    {
        Rgba32.TryParseHex(value, out var color).ShouldBeTrue();
        color.ShouldBe(Rgba32.Opaque(r, g, b));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("GGG")]
    [InlineData("1234567")]
    [InlineData("+FF")]
    [InlineData("12 456")]
    public void TryParseHex_rejects_anything_else(string? value) => Rgba32.TryParseHex(value, out _).ShouldBeFalse();
}
