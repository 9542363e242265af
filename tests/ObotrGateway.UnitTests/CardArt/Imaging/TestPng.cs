using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

/// <summary>
/// A deliberately separate, minimal PNG encoder for tests: bitwise CRC, its own forward filters, raw scanlines
/// given by the test. The reader is therefore checked against the spec, not only against our own writer.
/// </summary>
internal static class TestPng
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    // Adam7: first column, first row, column step, row step.
    public static readonly (int X, int Y, int DX, int DY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), BitwiseCrc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(int width, int height, byte bitDepth, byte colorType, byte interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = bitDepth;
        data[9] = colorType;
        data[12] = interlace;
        return Chunk("IHDR", data);
    }

    public static byte[] Iend() => Chunk("IEND", []);

    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>Filters each pass's scanlines (previous row reset to zeros per pass) and prefixes the filter byte.</summary>
    public static byte[] FilteredStream(IEnumerable<IReadOnlyList<byte[]>> passes, byte filter, int bytesPerPixel)
    {
        var stream = new List<byte>();
        foreach (var rows in passes)
        {
            byte[]? previous = null;
            foreach (var row in rows)
            {
                previous ??= new byte[row.Length];
                stream.Add(filter);
                stream.AddRange(Filter(filter, row, previous, bytesPerPixel));
                previous = row;
            }
        }

        return [.. stream];
    }

    public static byte[] Filter(byte filter, byte[] raw, byte[] previous, int bpp)
    {
        var output = new byte[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            int a = i >= bpp ? raw[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new ArgumentOutOfRangeException(nameof(filter)),
            };
            output[i] = unchecked((byte)(raw[i] - predictor));
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Packs samples of <paramref name="depth"/> bits MSB-first (16-bit big-endian) into a scanline.</summary>
    public static byte[] Pack(IReadOnlyList<int> samples, int depth)
    {
        var row = new byte[((samples.Count * depth) + 7) / 8];
        for (var i = 0; i < samples.Count; i++)
        {
            if (depth == 16)
            {
                row[2 * i] = (byte)(samples[i] >> 8);
                row[(2 * i) + 1] = (byte)samples[i];
            }
            else
            {
                var bit = i * depth;
                row[bit / 8] |= (byte)(samples[i] << (8 - depth - (bit % 8)));
            }
        }

        return row;
    }

    /// <summary>Walks a PNG's chunks (no validation beyond lengths): type, data offset, data length.</summary>
    public static List<(string Type, int Offset, int Length)> Chunks(byte[] png)
    {
        var chunks = new List<(string, int, int)>();
        for (var position = 8; position + 12 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            chunks.Add((Encoding.ASCII.GetString(png, position + 4, 4), position + 8, length));
            position += 12 + length;
        }

        return chunks;
    }

    /// <summary>Recomputes the CRC of the chunk whose data starts at <paramref name="dataOffset"/>.</summary>
    public static void FixCrc(byte[] png, int dataOffset, int length) =>
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(dataOffset + length), BitwiseCrc(png.AsSpan(dataOffset - 4, length + 4)));
}
