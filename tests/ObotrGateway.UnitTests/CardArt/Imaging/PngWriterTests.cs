using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class PngWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(256, 3)]
    public void Write_then_Read_preserves_every_pixel_exactly(int width, int height)
    {
        var image = Pattern(width, height);

        var decoded = PngReader.Read(PngWriter.Write(image));

        decoded.Width.ShouldBe(width);
        decoded.Height.ShouldBe(height);
        decoded.Pixels.ToArray().ShouldBe(image.Pixels.ToArray());
    }

    [Fact]
    public void Write_emits_valid_chunks_rgba8_header_and_IEND()
    {
        var png = PngWriter.Write(Pattern(40, 30));

        png.AsSpan(0, 8).ToArray().ShouldBe(TestPng.Signature);
        var chunks = TestPng.Chunks(png);
        chunks.First().Type.ShouldBe("IHDR");
        chunks.Last().Type.ShouldBe("IEND");
        chunks.Sum(c => c.Length + 12).ShouldBe(png.Length - 8);
        foreach (var (_, offset, length) in chunks)
        {
            BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + length)).ShouldBe(TestPng.BitwiseCrc(png.AsSpan(offset - 4, length + 4)));
        }

        var ihdr = png.AsSpan(chunks[0].Offset, 13);
        BinaryPrimitives.ReadInt32BigEndian(ihdr).ShouldBe(40);
        BinaryPrimitives.ReadInt32BigEndian(ihdr[4..]).ShouldBe(30);
        ihdr[8..].ToArray().ShouldBe(new byte[] { 8, 6, 0, 0, 0 });
    }

    [Fact]
    public void Write_filters_each_row_adaptively_and_the_test_decoder_agrees()
    {
        var image = Pattern(64, 32);
        var png = PngWriter.Write(image);
        var idat = TestPng.Chunks(png).Where(c => c.Type == "IDAT").SelectMany(c => png.AsSpan(c.Offset, c.Length).ToArray()).ToArray();
        using var inflater = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var stream = raw.ToArray();

        var stride = 64 * 4;
        stream.Length.ShouldBe(32 * (stride + 1));
        var filters = Enumerable.Range(0, 32).Select(y => stream[y * (stride + 1)]).ToList();
        filters.ShouldAllBe(f => f <= 4);
        filters.Distinct().Count().ShouldBeGreaterThan(1);

        // Re-filter the original rows with the test's own filters: the writer's bytes must match.
        var previous = new byte[stride];
        for (var y = 0; y < 32; y++)
        {
            var row = image.Pixels.Slice(y * stride, stride).ToArray();
            stream.AsSpan((y * (stride + 1)) + 1, stride).ToArray().ShouldBe(TestPng.Filter(filters[y], row, previous, 4));
            previous = row;
        }
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Crc32.Compute("123456789"u8).ShouldBe(0xCBF43926u);
        Crc32.Compute([]).ShouldBe(0u);
        Crc32.Compute(Encoding.ASCII.GetBytes("IEND")).ShouldBe(TestPng.BitwiseCrc("IEND"u8));
    }

    /// <summary>Deterministic content with gradients, noise-like bits and every alpha level.</summary>
    internal static RgbaImage Pattern(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)(x * 7), (byte)((y * 13) + x), (byte)((x * y) ^ 0x5A), (byte)((x * 3) + (y * 11))));
            }
        }

        return image;
    }
}
