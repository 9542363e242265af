using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Decodes a PNG into an <see cref="RgbaImage"/>. Accepts every colour type and bit depth of the PNG spec
/// (grey 1/2/4/8/16, RGB 8/16, palette 1/2/4/8 with optional tRNS, grey+alpha 8/16, RGBA 8/16; 16-bit samples keep
/// their high byte), all five filters and Adam7 interlacing. Chunk CRCs are checked. Anything malformed,
/// truncated, unsupported or larger than <see cref="MaxDimension"/> / <see cref="MaxPixelCount"/> is a
/// <see cref="PngFormatException"/>. Colour management chunks (gAMA, iCCP, sRGB…) are ignored.
/// </summary>
internal static class PngReader
{
    /// <summary>Largest accepted width or height.</summary>
    public const int MaxDimension = 8192;

    /// <summary>
    /// Largest accepted width × height. Checked from IHDR before any inflation, so a tiny "decompression bomb"
    /// cannot make us allocate more than 160 MB of RGBA output; inflation is also read row by row, never past
    /// the bytes the header implies.
    /// </summary>
    public const long MaxPixelCount = 40_000_000;

    private const byte ColorTypeGrey = 0;
    private const byte ColorTypeRgb = 2;
    private const byte ColorTypePalette = 3;
    private const byte ColorTypeGreyAlpha = 4;
    private const byte ColorTypeRgba = 6;

    // Adam7 passes: first column, first row, column step, row step (PNG spec §8.2).
    private static readonly (int X, int Y, int DX, int DY)[] Adam7Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>The 8-byte PNG file signature.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static bool HasPngSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static RgbaImage Read(ReadOnlySpan<byte> png)
    {
        if (!HasPngSignature(png))
        {
            throw new PngFormatException("Not a PNG: the 8-byte signature is missing.");
        }

        Header? header = null;
        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        ushort[]? transparentKey = null;
        using var compressed = new MemoryStream();
        var position = Signature.Length;
        var sawIdat = false;
        var sawIend = false;
        while (!sawIend)
        {
            var data = NextChunk(png, ref position, out var type);
            if (header is null && type != "IHDR")
            {
                throw new PngFormatException($"The first chunk must be IHDR, found '{type}'.");
            }

            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw new PngFormatException("More than one IHDR chunk.");
                    }

                    header = ParseHeader(data);
                    break;
                case "PLTE":
                    palette = ParsePalette(data, header!.Value, palette, sawIdat);
                    break;
                case "tRNS":
                    ParseTransparency(data, header!.Value, palette, sawIdat, ref paletteAlpha, ref transparentKey);
                    break;
                case "IDAT":
                    sawIdat = true;
                    compressed.Write(data);
                    break;
                case "IEND":
                    sawIend = true;
                    break;
                default:
                    // Bit 5 of the first byte clear (upper case) marks a critical chunk we must understand.
                    if (char.IsAsciiLetterUpper(type[0]))
                    {
                        throw new PngFormatException($"Unsupported critical chunk '{type}'.");
                    }

                    break;
            }
        }

        var h = header!.Value;
        if (!sawIdat)
        {
            throw new PngFormatException("No IDAT chunk: the image has no pixel data.");
        }

        if (h.ColorType == ColorTypePalette && palette is null)
        {
            throw new PngFormatException("Palette image (colour type 3) without a PLTE chunk.");
        }

        compressed.Position = 0;
        return Decode(compressed, h, new Transparency(palette, paletteAlpha, transparentKey));
    }

    private static ReadOnlySpan<byte> NextChunk(ReadOnlySpan<byte> png, ref int position, out string type)
    {
        if (png.Length - position < 12)
        {
            throw new PngFormatException(position == png.Length
                ? "Truncated PNG: the stream ends before the IEND chunk."
                : $"Truncated PNG: incomplete chunk header at byte {position}.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(png[position..]);
        var typeBytes = png.Slice(position + 4, 4);
        foreach (var b in typeBytes)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                throw new PngFormatException($"Invalid chunk type at byte {position + 4}: chunk types are four ASCII letters.");
            }
        }

        type = Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue || length > (uint)(png.Length - position - 12))
        {
            throw new PngFormatException($"Truncated PNG: chunk '{type}' declares {length} bytes but the stream ends first.");
        }

        var data = png.Slice(position + 8, (int)length);
        var expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(png[(position + 8 + (int)length)..]);
        if (Crc32.Compute(png.Slice(position + 4, 4 + (int)length)) != expectedCrc)
        {
            throw new PngFormatException($"CRC mismatch in chunk '{type}' at byte {position}: the file is corrupted.");
        }

        position += 12 + (int)length;
        return data;
    }

    private static Header ParseHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw new PngFormatException($"IHDR must be 13 bytes, found {data.Length}.");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width == 0 || height == 0)
        {
            throw new PngFormatException("Width and height must be at least 1.");
        }

        if (width > MaxDimension || height > MaxDimension || (long)width * height > MaxPixelCount)
        {
            throw new PngFormatException(
                $"Image {width}x{height} exceeds the limits ({MaxDimension} per side, {MaxPixelCount} pixels in total).");
        }

        var bitDepth = data[8];
        var colorType = data[9];
        var depthIsValid = colorType switch
        {
            ColorTypeGrey => bitDepth is 1 or 2 or 4 or 8 or 16,
            ColorTypePalette => bitDepth is 1 or 2 or 4 or 8,
            ColorTypeRgb or ColorTypeGreyAlpha or ColorTypeRgba => bitDepth is 8 or 16,
            _ => throw new PngFormatException($"Invalid colour type {colorType}."),
        };
        if (!depthIsValid)
        {
            throw new PngFormatException($"Bit depth {bitDepth} is not allowed for colour type {colorType}.");
        }

        if (data[10] != 0 || data[11] != 0)
        {
            throw new PngFormatException($"Unknown compression method {data[10]} or filter method {data[11]}; only 0 exists.");
        }

        if (data[12] > 1)
        {
            throw new PngFormatException($"Unknown interlace method {data[12]}; only 0 (none) and 1 (Adam7) exist.");
        }

        return new Header((int)width, (int)height, bitDepth, colorType, data[12] == 1);
    }

    private static byte[] ParsePalette(ReadOnlySpan<byte> data, Header header, byte[]? existing, bool sawIdat)
    {
        if (header.ColorType is ColorTypeGrey or ColorTypeGreyAlpha)
        {
            throw new PngFormatException("PLTE is not allowed for greyscale images.");
        }

        if (existing is not null || sawIdat)
        {
            throw new PngFormatException("PLTE must appear once, before the image data.");
        }

        if (data.Length == 0 || data.Length % 3 != 0 || data.Length / 3 > 256)
        {
            throw new PngFormatException($"PLTE length {data.Length} is not 3 × (1 to 256) entries.");
        }

        return data.ToArray();
    }

    private static void ParseTransparency(
        ReadOnlySpan<byte> data, Header header, byte[]? palette, bool sawIdat, ref byte[]? paletteAlpha, ref ushort[]? transparentKey)
    {
        if (sawIdat)
        {
            throw new PngFormatException("tRNS must appear before the image data.");
        }

        switch (header.ColorType)
        {
            case ColorTypePalette:
                if (palette is null || data.Length > palette.Length / 3)
                {
                    throw new PngFormatException("tRNS for a palette image must follow PLTE and have at most one entry per colour.");
                }

                paletteAlpha = data.ToArray();
                break;
            case ColorTypeGrey:
                if (data.Length != 2)
                {
                    throw new PngFormatException("tRNS for a greyscale image must be 2 bytes.");
                }

                transparentKey = [BinaryPrimitives.ReadUInt16BigEndian(data)];
                break;
            case ColorTypeRgb:
                if (data.Length != 6)
                {
                    throw new PngFormatException("tRNS for an RGB image must be 6 bytes.");
                }

                transparentKey =
                [
                    BinaryPrimitives.ReadUInt16BigEndian(data),
                    BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                    BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
                ];
                break;
            default:
                // Images with an alpha channel must not carry tRNS; ignore it as decoders commonly do.
                break;
        }
    }

    private static RgbaImage Decode(Stream compressed, Header header, Transparency transparency)
    {
        var image = new RgbaImage(header.Width, header.Height);
        var pixels = image.Pixels;
        var bytesPerPixel = Math.Max(1, header.BitsPerPixel / 8);
        (int X, int Y, int DX, int DY)[] passes = header.Interlaced ? Adam7Passes : [(0, 0, 1, 1)];
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            foreach (var (firstX, firstY, stepX, stepY) in passes)
            {
                var passWidth = (header.Width - firstX + stepX - 1) / stepX;
                var passHeight = (header.Height - firstY + stepY - 1) / stepY;
                if (passWidth <= 0 || passHeight <= 0)
                {
                    // An empty pass contributes no bytes at all, not even filter-type bytes.
                    continue;
                }

                var stride = (int)(((long)passWidth * header.BitsPerPixel + 7) / 8);
                var previous = new byte[stride];
                var current = new byte[stride];
                var rgbaRow = new byte[passWidth * RgbaImage.BytesPerPixel];
                for (var row = 0; row < passHeight; row++)
                {
                    var filterType = ReadByte(inflater);
                    inflater.ReadExactly(current);
                    PngFilter.Unfilter(filterType, current, previous, bytesPerPixel);
                    ExpandRow(current, rgbaRow, passWidth, header, transparency);
                    var y = firstY + (row * stepY);
                    if (stepX == 1)
                    {
                        rgbaRow.CopyTo(pixels.Slice(y * header.Width * RgbaImage.BytesPerPixel, rgbaRow.Length));
                    }
                    else
                    {
                        for (var i = 0; i < passWidth; i++)
                        {
                            var x = firstX + (i * stepX);
                            rgbaRow.AsSpan(i * 4, 4).CopyTo(pixels.Slice(((y * header.Width) + x) * 4, 4));
                        }
                    }

                    (previous, current) = (current, previous);
                }
            }

            // Reading on lets zlib reach its end and verify the Adler-32 checksum; trailing bytes are tolerated.
            _ = inflater.Read(new byte[1]);
        }
        catch (EndOfStreamException ex)
        {
            throw new PngFormatException("Truncated image data: IDAT holds fewer bytes than the header implies.", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new PngFormatException("Corrupt zlib stream in IDAT.", ex);
        }

        return image;
    }

    private static byte ReadByte(Stream stream)
    {
        var value = stream.ReadByte();
        return value < 0 ? throw new EndOfStreamException() : (byte)value;
    }

    private static void ExpandRow(ReadOnlySpan<byte> row, Span<byte> rgba, int width, Header header, Transparency transparency)
    {
        var depth = header.BitDepth;
        if (header.ColorType == ColorTypeRgba && depth == 8)
        {
            row.CopyTo(rgba);
            return;
        }

        for (var x = 0; x < width; x++)
        {
            var o = x * 4;
            switch (header.ColorType)
            {
                case ColorTypeGrey:
                    {
                        var grey = Sample(row, x, depth);
                        rgba[o] = rgba[o + 1] = rgba[o + 2] = ToByte(grey, depth);
                        rgba[o + 3] = transparency.Key is { } key && key[0] == grey ? (byte)0 : (byte)255;
                        break;
                    }

                case ColorTypeRgb:
                    {
                        int r = Sample(row, x * 3, depth), g = Sample(row, (x * 3) + 1, depth), b = Sample(row, (x * 3) + 2, depth);
                        rgba[o] = ToByte(r, depth);
                        rgba[o + 1] = ToByte(g, depth);
                        rgba[o + 2] = ToByte(b, depth);
                        rgba[o + 3] = transparency.Key is { } key && key[0] == r && key[1] == g && key[2] == b ? (byte)0 : (byte)255;
                        break;
                    }

                case ColorTypePalette:
                    {
                        var index = Sample(row, x, depth);
                        var palette = transparency.Palette!;
                        if (index * 3 >= palette.Length)
                        {
                            throw new PngFormatException($"Palette index {index} is outside the {palette.Length / 3}-entry PLTE.");
                        }

                        rgba[o] = palette[index * 3];
                        rgba[o + 1] = palette[(index * 3) + 1];
                        rgba[o + 2] = palette[(index * 3) + 2];
                        // Entries beyond the tRNS list are opaque.
                        rgba[o + 3] = transparency.PaletteAlpha is { } alpha && index < alpha.Length ? alpha[index] : (byte)255;
                        break;
                    }

                case ColorTypeGreyAlpha:
                    rgba[o] = rgba[o + 1] = rgba[o + 2] = ToByte(Sample(row, x * 2, depth), depth);
                    rgba[o + 3] = ToByte(Sample(row, (x * 2) + 1, depth), depth);
                    break;
                default:
                    for (var c = 0; c < 4; c++)
                    {
                        rgba[o + c] = ToByte(Sample(row, (x * 4) + c, depth), depth);
                    }

                    break;
            }
        }
    }

    /// <summary>Sample <paramref name="index"/> of a row; sub-byte samples are packed most significant bits first.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int index, int depth)
    {
        switch (depth)
        {
            case 8:
                return row[index];
            case 16:
                return (row[index * 2] << 8) | row[(index * 2) + 1];
            default:
                var bit = index * depth;
                var shift = 8 - depth - (bit & 7);
                return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
        }
    }

    /// <summary>Scales a sample to 8 bits: low depths stretch to the full range, 16-bit keeps the high byte.</summary>
    private static byte ToByte(int sample, int depth) => depth switch
    {
        8 => (byte)sample,
        16 => (byte)(sample >> 8),
        _ => (byte)(sample * 255 / ((1 << depth) - 1)),
    };

    private readonly record struct Header(int Width, int Height, byte BitDepth, byte ColorType, bool Interlaced)
    {
        public int BitsPerPixel => BitDepth * ColorType switch
        {
            ColorTypeRgb => 3,
            ColorTypeGreyAlpha => 2,
            ColorTypeRgba => 4,
            _ => 1,
        };
    }

    private readonly record struct Transparency(byte[]? Palette, byte[]? PaletteAlpha, ushort[]? Key);
}
