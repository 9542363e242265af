namespace ObotrGateway.MdesSimulator.Assets;

internal sealed record MediaContent(string Type, byte[] Data, int Width, int Height);

/// <summary>
/// Card art rendered once per process (deterministic, so an asset id always means the same bytes). Rendering starts
/// in the background at start-up; the first Get Asset waits for it only if it is still running.
/// </summary>
internal sealed class AssetCatalog
{
    public const int CardWidth = 1536;
    public const int CardHeight = 969;

    private readonly Dictionary<string, Lazy<MediaContent>> _assets = new(StringComparer.OrdinalIgnoreCase)
    {
        [AssetIds.BrandLogoPng] = Png(400, 250, true, Art.BrandMark),
        [AssetIds.BrandLogoPdf] = new(() => new MediaContent("application/pdf", PdfWriter.BrandMark(400, 250), 400, 250)),
        [AssetIds.IssuerLogoBlue] = Png(600, 160, true, (x, y) => Art.Badge(x, y, 600, 160, 0x1E3A8AFF)),
        [AssetIds.IssuerLogoGreen] = Png(600, 160, true, (x, y) => Art.Badge(x, y, 600, 160, 0x14532DFF)),
        [AssetIds.IssuerLogoGold] = Png(600, 160, true, (x, y) => Art.Badge(x, y, 600, 160, 0xB45309FF)),
        [AssetIds.CoBrandLogo] = Png(300, 300, true, Art.CoBrandMark),
        [AssetIds.CombinedBlue] = Png(CardWidth, CardHeight, false, (x, y) => Art.Combined(x, y, 0x0B1F4BFF, 0x2563EBFF)),
        [AssetIds.CombinedGreen] = Png(CardWidth, CardHeight, false, (x, y) => Art.Combined(x, y, 0x052E16FF, 0x16A34AFF)),
        [AssetIds.CombinedGold] = Png(CardWidth, CardHeight, false, (x, y) => Art.Combined(x, y, 0x111111FF, 0xB8860BFF)),
        [AssetIds.BackgroundTeal] = Png(CardWidth, CardHeight, false, (_, _) => 0x0F766EFF),
        [AssetIds.IconBlue] = Png(100, 100, false, (x, y) => Art.Combined(x * 15, y * 9, 0x0B1F4BFF, 0x2563EBFF)),
        [AssetIds.IconTeal] = Png(100, 100, false, (_, _) => 0x0F766EFF),
        [AssetIds.IconGreen] = Png(100, 100, false, (x, y) => Art.Combined(x * 15, y * 9, 0x052E16FF, 0x16A34AFF)),
        [AssetIds.IconGold] = Png(100, 100, false, (x, y) => Art.Combined(x * 15, y * 9, 0x111111FF, 0xB8860BFF)),
    };

    public MediaContent? Find(string assetId) => _assets.TryGetValue(assetId, out var asset) ? asset.Value : null;

    public void Warm()
    {
        foreach (var asset in _assets.Values)
        {
            _ = asset.Value;
        }
    }

    private static Lazy<MediaContent> Png(int width, int height, bool alpha, Func<int, int, uint> pixel) =>
        new(() => new MediaContent("image/png", PngEncoder.Encode(width, height, alpha, pixel), width, height));
}

/// <summary>Pixel functions returning RGBA.</summary>
internal static class Art
{
    public static uint Lerp(uint from, uint to, double t)
    {
        uint Channel(int shift) => (uint)Math.Round((((from >> shift) & 0xFF) * (1 - t)) + (((to >> shift) & 0xFF) * t)) << shift;
        return Channel(24) | Channel(16) | Channel(8) | Channel(0);
    }

    public static uint Combined(int x, int y, uint from, uint to)
    {
        var brand = BrandMark(x - 1100, y - 650);
        if ((brand & 0xFF) != 0)
        {
            return brand | 0xFF;
        }

        // Issuer band top-left, as a background with logos already composed would show.
        if (x is > 80 and < 620 && y is > 80 and < 200)
        {
            return 0xFFFFFFFF;
        }

        return Lerp(from, to, (x + y) / (double)(AssetCatalog.CardWidth + AssetCatalog.CardHeight));
    }

    public static uint BrandMark(int x, int y)
    {
        static bool In(int x, int y, int cx, int cy, int r) => ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r;
        var left = In(x, y, 150, 125, 100);
        var right = In(x, y, 250, 125, 100);
        return (left, right) switch
        {
            (true, true) => 0xFF5F00FF,
            (true, false) => 0xEB001BFF,
            (false, true) => 0xF79E1BFF,
            _ => 0x00000000,
        };
    }

    public static uint Badge(int x, int y, int width, int height, uint colour)
    {
        var inset = Math.Min(Math.Min(x, width - 1 - x), Math.Min(y, height - 1 - y));
        return inset < 8 ? 0u : colour;
    }

    public static uint CoBrandMark(int x, int y) => y >= 40 && Math.Abs(x - 150) <= (y - 40) / 2 && y <= 260 ? 0x0EA5E9FFu : 0u;
}
