using System.Buffers.Binary;
using System.IO.Compression;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Encodes an <see cref="RgbaImage"/> as an 8-bit RGBA PNG (colour type 6, not interlaced). Each row gets the
/// filter whose output has the smallest sum of absolute signed bytes, the heuristic the PNG spec recommends
/// (§12.8): it makes zlib's job markedly easier on photos and gradients.
/// </summary>
internal static class PngWriter
{
    /// <summary>IDAT chunk size; any split is valid, smaller chunks only cost 12 bytes each.</summary>
    private const int MaxIdatLength = 1 << 20;

    public static byte[] Write(RgbaImage image, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream();
        output.Write(PngReader.Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bit depth
        header[9] = 6; // colour type: RGBA
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive, five filter types
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var deflater = new ZLibStream(compressed, compression, leaveOpen: true))
        {
            WriteFilteredRows(image, deflater);
        }

        var idat = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (var offset = 0; offset < idat.Length; offset += MaxIdatLength)
        {
            WriteChunk(output, "IDAT"u8, idat.Slice(offset, Math.Min(MaxIdatLength, idat.Length - offset)));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteFilteredRows(RgbaImage image, Stream deflater)
    {
        var stride = image.Width * RgbaImage.BytesPerPixel;
        var previous = new byte[stride];
        var candidate = new byte[1 + stride];
        var best = new byte[1 + stride];
        var pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var bestScore = long.MaxValue;
            for (var filter = PngFilter.None; filter <= PngFilter.Paeth; filter++)
            {
                candidate[0] = filter;
                PngFilter.Apply(filter, row, previous, RgbaImage.BytesPerPixel, candidate.AsSpan(1));
                var score = Score(candidate.AsSpan(1));
                if (score < bestScore)
                {
                    bestScore = score;
                    (best, candidate) = (candidate, best);
                }
            }

            deflater.Write(best);
            row.CopyTo(previous);
        }
    }

    private static long Score(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (var b in filtered)
        {
            sum += Math.Abs((int)(sbyte)b);
        }

        return sum;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, type), data)));
        output.Write(word);
    }
}
