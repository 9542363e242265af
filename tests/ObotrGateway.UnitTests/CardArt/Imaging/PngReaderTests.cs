using System.Buffers.Binary;
using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class PngReaderTests
{
    private const int Width = 13;
    private const int Height = 9;

    private static readonly (byte ColorType, byte Depth)[] ValidFormats =
    [
        (0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16),
    ];

    public static TheoryData<byte, byte, byte, bool> AllFormatsFiltersAndInterlacing()
    {
        var data = new TheoryData<byte, byte, byte, bool>();
        foreach (var (colorType, depth) in ValidFormats)
        {
            for (byte filter = 0; filter <= 4; filter++)
            {
                data.Add(colorType, depth, filter, false);
                data.Add(colorType, depth, filter, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFormatsFiltersAndInterlacing))]
    public void Read_every_colour_type_depth_filter_and_interlace_decodes_expected_pixels(byte colorType, byte depth, byte filter, bool interlaced)
    {
        var sample = new SampleImage(Width, Height, colorType, depth);
        var png = sample.Encode(filter, interlaced);

        var image = PngReader.Read(png);

        image.Width.ShouldBe(Width);
        image.Height.ShouldBe(Height);
        image.Pixels.ToArray().ShouldBe(sample.ExpectedRgba);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(3, 2)]
    [InlineData(9, 1)]
    public void Read_interlaced_tiny_images_with_empty_passes_decodes(int width, int height)
    {
        var sample = new SampleImage(width, height, 6, 8);

        PngReader.Read(sample.Encode(4, interlaced: true)).Pixels.ToArray().ShouldBe(sample.ExpectedRgba);
    }

    [Fact]
    public void Read_greyscale_with_tRNS_key_makes_that_grey_transparent()
    {
        byte[] row = [10, 20, 30];
        var png = TestPng.File(
            TestPng.Ihdr(3, 1, 8, 0),
            TestPng.Chunk("tRNS", [0, 20]),
            TestPng.Chunk("IDAT", TestPng.Deflate(TestPng.FilteredStream([[row]], 0, 1))),
            TestPng.Iend());

        var image = PngReader.Read(png);

        image.GetPixel(0, 0).ShouldBe(new Rgba32(10, 10, 10, 255));
        image.GetPixel(1, 0).A.ShouldBe((byte)0);
        image.GetPixel(2, 0).ShouldBe(new Rgba32(30, 30, 30, 255));
    }

    [Fact]
    public void Read_rgb16_with_tRNS_key_compares_full_16_bit_samples()
    {
        var row = TestPng.Pack([0x1234, 0x5678, 0x9ABC, 0x1234, 0x5678, 0x9ABD], 16);
        var png = TestPng.File(
            TestPng.Ihdr(2, 1, 16, 2),
            TestPng.Chunk("tRNS", [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC]),
            TestPng.Chunk("IDAT", TestPng.Deflate(TestPng.FilteredStream([[row]], 0, 6))),
            TestPng.Iend());

        var image = PngReader.Read(png);

        image.GetPixel(0, 0).A.ShouldBe((byte)0);
        image.GetPixel(1, 0).ShouldBe(new Rgba32(0x12, 0x56, 0x9A, 255));
    }

    [Fact]
    public void Read_palette_with_short_tRNS_leaves_later_entries_opaque()
    {
        var png = TestPng.File(
            TestPng.Ihdr(3, 1, 8, 3),
            TestPng.Chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255]),
            TestPng.Chunk("tRNS", [0, 128]),
            TestPng.Chunk("IDAT", TestPng.Deflate(TestPng.FilteredStream([[[0, 1, 2]]], 0, 1))),
            TestPng.Iend());

        var image = PngReader.Read(png);

        image.GetPixel(0, 0).ShouldBe(new Rgba32(255, 0, 0, 0));
        image.GetPixel(1, 0).ShouldBe(new Rgba32(0, 255, 0, 128));
        image.GetPixel(2, 0).ShouldBe(new Rgba32(0, 0, 255, 255));
    }

    [Fact]
    public void Read_ignores_ancillary_chunks_and_data_after_IEND()
    {
        var sample = new SampleImage(4, 4, 6, 8);
        var png = sample.Encode(0, interlaced: false);
        var withExtras = TestPng.File(
            [.. png.AsSpan(8, 25)],
            TestPng.Chunk("gAMA", [0, 0, 177, 143]),
            TestPng.Chunk("tEXt", "Comment\0hello"u8),
            [.. png.AsSpan(33)],
            [1, 2, 3]);

        PngReader.Read(withExtras).Pixels.ToArray().ShouldBe(sample.ExpectedRgba);
    }

    [Fact]
    public void Read_split_IDAT_chunks_are_concatenated()
    {
        var sample = new SampleImage(Width, Height, 2, 8);
        var compressed = TestPng.Deflate(TestPng.FilteredStream([sample.Scanlines], 2, 3));
        var png = TestPng.File(
            TestPng.Ihdr(Width, Height, 8, 2),
            TestPng.Chunk("IDAT", compressed.AsSpan(0, 5)),
            TestPng.Chunk("IDAT", []),
            TestPng.Chunk("IDAT", compressed.AsSpan(5)),
            TestPng.Iend());

        PngReader.Read(png).Pixels.ToArray().ShouldBe(sample.ExpectedRgba);
    }

    [Fact]
    public void Read_bad_signature_throws_PngFormatException()
    {
        var png = new SampleImage(2, 2, 6, 8).Encode(0, false);
        png[1] = (byte)'J';

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("signature");
        Should.Throw<PngFormatException>(() => PngReader.Read([]));
    }

    [Fact]
    public void Read_corrupted_chunk_data_fails_the_CRC_check()
    {
        var png = new SampleImage(5, 5, 6, 8).Encode(1, false);
        var idat = TestPng.Chunks(png).Single(c => c.Type == "IDAT");
        png[idat.Offset + (idat.Length / 2)] ^= 0x40;

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("CRC mismatch in chunk 'IDAT'");
    }

    [Fact]
    public void Read_stream_cut_at_any_length_throws_PngFormatException()
    {
        var png = new SampleImage(Width, Height, 6, 8).Encode(4, false);

        for (var length = 0; length < png.Length; length++)
        {
            Should.Throw<PngFormatException>(() => PngReader.Read(png.AsSpan(0, length)), $"cut at {length} of {png.Length}");
        }
    }

    [Fact]
    public void Read_truncated_zlib_data_with_valid_CRCs_throws_PngFormatException()
    {
        var sample = new SampleImage(Width, Height, 6, 8);
        var compressed = TestPng.Deflate(TestPng.FilteredStream([sample.Scanlines], 0, 4));
        var png = TestPng.File(TestPng.Ihdr(Width, Height, 8, 6), TestPng.Chunk("IDAT", compressed.AsSpan(0, compressed.Length / 2)), TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png));
    }

    [Fact]
    public void Read_wrong_zlib_Adler32_checksum_throws()
    {
        var sample = new SampleImage(Width, Height, 6, 8);
        var compressed = TestPng.Deflate(TestPng.FilteredStream([sample.Scanlines], 0, 4));
        compressed[^1] ^= 0x01;
        var png = TestPng.File(TestPng.Ihdr(Width, Height, 8, 6), TestPng.Chunk("IDAT", compressed), TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("zlib");
    }

    [Fact]
    public void Read_fewer_scanlines_than_the_header_declares_throws_truncated()
    {
        var sample = new SampleImage(Width, Height, 6, 8);
        var png = TestPng.File(
            TestPng.Ihdr(Width, Height + 1, 8, 6),
            TestPng.Chunk("IDAT", TestPng.Deflate(TestPng.FilteredStream([sample.Scanlines], 0, 4))),
            TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("Truncated image data");
    }

    [Theory]
    [InlineData(9000, 10)]
    [InlineData(10, 8193)]
    [InlineData(8000, 8000)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(0, 10)]
    public void Read_zero_or_oversized_dimensions_throw_before_inflating(int width, int height)
    {
        // IDAT would inflate to gigabytes if the reader trusted the header: the limit must hit first.
        var png = TestPng.File(TestPng.Ihdr(width, height, 8, 6), TestPng.Chunk("IDAT", TestPng.Deflate(new byte[1000])), TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png));
    }

    [Theory]
    [InlineData(2, 4, 0, "Bit depth 4 is not allowed")]
    [InlineData(6, 1, 0, "Bit depth 1 is not allowed")]
    [InlineData(3, 16, 0, "Bit depth 16 is not allowed")]
    [InlineData(5, 8, 0, "Invalid colour type 5")]
    [InlineData(6, 8, 2, "interlace method 2")]
    public void Read_invalid_header_fields_throw(byte colorType, byte depth, byte interlace, string message)
    {
        var png = TestPng.File(TestPng.Ihdr(2, 2, depth, colorType, interlace), TestPng.Chunk("IDAT", TestPng.Deflate(new byte[100])), TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain(message);
    }

    [Fact]
    public void Read_unknown_filter_type_throws()
    {
        var png = TestPng.File(TestPng.Ihdr(1, 1, 8, 6), TestPng.Chunk("IDAT", TestPng.Deflate([5, 1, 2, 3, 4])), TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("filter type 5");
    }

    [Fact]
    public void Read_palette_index_beyond_PLTE_throws()
    {
        var png = TestPng.File(
            TestPng.Ihdr(2, 1, 8, 3),
            TestPng.Chunk("PLTE", [1, 2, 3, 4, 5, 6]),
            TestPng.Chunk("IDAT", TestPng.Deflate([0, 1, 2])),
            TestPng.Iend());

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("Palette index 2");
    }

    [Fact]
    public void Read_structural_errors_throw()
    {
        var idat = TestPng.Chunk("IDAT", TestPng.Deflate([0, 0]));
        byte[][] broken =
        [
            TestPng.File(TestPng.Ihdr(1, 1, 8, 3), idat, TestPng.Iend()), // palette image without PLTE
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), TestPng.Iend()), // no IDAT
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), idat), // no IEND
            TestPng.File(idat, TestPng.Ihdr(1, 1, 8, 0), TestPng.Iend()), // IHDR not first
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), TestPng.Chunk("QUUX", []), idat, TestPng.Iend()), // unknown critical chunk
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), TestPng.Ihdr(1, 1, 8, 0), idat, TestPng.Iend()), // two IHDR
            TestPng.File(TestPng.Chunk("IHDR", new byte[12]), idat, TestPng.Iend()), // short IHDR
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), TestPng.Chunk("IDAT", [1, 2, 3, 4]), TestPng.Iend()), // not zlib
            TestPng.File(TestPng.Ihdr(1, 1, 8, 0), TestPng.Chunk("PLTE", [1, 2, 3]), idat, TestPng.Iend()), // PLTE on grey
            TestPng.File(TestPng.Ihdr(1, 1, 8, 2), TestPng.Chunk("tRNS", [1, 2]), idat, TestPng.Iend()), // bad tRNS size
        ];

        foreach (var png in broken)
        {
            Should.Throw<PngFormatException>(() => PngReader.Read(png));
        }
    }

    [Fact]
    public void Read_any_single_byte_corruption_either_decodes_or_throws_PngFormatException()
    {
        var png = new SampleImage(7, 5, 3, 4).Encode(4, true);
        var chunks = TestPng.Chunks(png);

        for (var i = 0; i < png.Length; i++)
        {
            foreach (var fixCrc in new[] { false, true })
            {
                var mutated = (byte[])png.Clone();
                mutated[i] ^= 0xA5;
                var owner = chunks.FirstOrDefault(c => i >= c.Offset && i < c.Offset + c.Length);
                if (fixCrc && owner.Type is not null)
                {
                    // Repair the CRC so the corruption reaches the header, palette or zlib/filter layers.
                    TestPng.FixCrc(mutated, owner.Offset, owner.Length);
                }

                try
                {
                    PngReader.Read(mutated);
                }
                catch (PngFormatException)
                {
                }
            }
        }
    }

    [Fact]
    public void Read_header_length_field_larger_than_the_file_throws()
    {
        var png = new SampleImage(2, 2, 6, 8).Encode(0, false);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8), 0xFFFFFFF0);

        Should.Throw<PngFormatException>(() => PngReader.Read(png)).Message.ShouldContain("Truncated");
    }
}
