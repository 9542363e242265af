using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ObotrGateway.MdesSimulator.Assets;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class PngEncoderTests
{
    [Fact]
    public void Crc32_knownAnswer_matchesIeee()
    {
        (PngEncoder.Crc32(Encoding.ASCII.GetBytes("123456789")) ^ 0xFFFFFFFF).ShouldBe(0xCBF43926u);
    }

    [Theory]
    [InlineData(3, 2, true)]
    [InlineData(17, 5, false)]
    public void Encode_smallImage_isAValidPngWithCorrectChunksAndPixels(int width, int height, bool alpha)
    {
        var png = PngEncoder.Encode(width, height, alpha, (x, y) => (uint)((x << 24) | (y << 16) | 0x7F00 | 0x80));

        png[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var chunks = ReadChunks(png);
        chunks.Select(c => c.Type).ShouldBe(["IHDR", "IDAT", "IEND"]);
        BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data).ShouldBe(width);
        BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)).ShouldBe(height);
        chunks[0].Data[9].ShouldBe((byte)(alpha ? 6 : 2));

        using var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var channels = alpha ? 4 : 3;
        var pixels = raw.ToArray();
        pixels.Length.ShouldBe(height * (1 + (width * channels)));
        var rowStart = 1 * (1 + (width * channels));
        pixels[rowStart].ShouldBe((byte)0);
        pixels[rowStart + 1 + (2 * channels)].ShouldBe((byte)2);
        pixels[rowStart + 1 + (2 * channels) + 1].ShouldBe((byte)1);
    }

    [Fact]
    public void CardBackground_isFullSize()
    {
        var catalog = new AssetCatalog();

        var background = catalog.Find(AssetIds.BackgroundTeal)!;

        background.Width.ShouldBe(1536);
        background.Height.ShouldBe(969);
        ReadChunks(background.Data).ShouldContain(c => c.Type == "IDAT");
    }

    [Fact]
    public void BrandMarkPdf_hasHeaderAndConsistentXref()
    {
        var pdf = Encoding.ASCII.GetString(PdfWriter.BrandMark(400, 250));

        pdf.ShouldStartWith("%PDF-1.4");
        pdf.TrimEnd().ShouldEndWith("%%EOF");
        var startXref = int.Parse(pdf.Split("startxref\n")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        pdf[startXref..].ShouldStartWith("xref");
        var offsets = pdf[startXref..].Split('\n').Skip(3).Take(4).Select(l => int.Parse(l[..10], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        for (var i = 0; i < offsets.Count; i++)
        {
            pdf[offsets[i]..].ShouldStartWith($"{i + 1} 0 obj");
        }
    }

    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            (PngEncoder.Crc32(png.AsSpan(offset + 4, 4 + length)) ^ 0xFFFFFFFF).ShouldBe(crc, type);
            chunks.Add((type, data));
            offset += 12 + length;
        }

        return chunks;
    }
}
