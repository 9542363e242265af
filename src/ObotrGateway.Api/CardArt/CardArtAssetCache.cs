using Npgsql;
using NpgsqlTypes;
using ObotrGateway.Api.CardArt.Imaging;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;

namespace ObotrGateway.Api.CardArt;

/// <summary>Bytes to serve and their media type.</summary>
internal sealed record CardArtContent(string MediaType, byte[] Bytes);

/// <summary>MDES sent an asset we cannot use (no content, bad Base64).</summary>
internal sealed class InvalidAssetException(string message) : Exception(message);

/// <summary>
/// MDES assets and our composites, cached forever in PostgreSQL. An asset id never changes content (new art means a
/// new id), and a composite is a pure function of its component ids and drawing options, so nothing ever expires:
/// after the first request for an id no GetAsset call is made again, on any replica. Concurrent first requests may
/// both fetch; the first insert wins and both serve the same bytes.
/// </summary>
internal sealed partial class CardArtAssetCache(NpgsqlDataSource dataSource, IMdesClient mdes, TimeProvider clock, ILogger<CardArtAssetCache> logger)
{
    /// <summary>The asset from our cache, or from MDES GetAsset (then cached).</summary>
    /// <exception cref="MdesException">MDES refused (e.g. unknown asset).</exception>
    /// <exception cref="MdesUnavailableException">MDES unreachable or over our TPS cap.</exception>
    /// <exception cref="InvalidAssetException">MDES answered without usable content.</exception>
    public async Task<CardArtContent> GetAssetAsync(string assetId, string tokenRequestorId, CancellationToken cancellationToken,
        MdesCallPriority priority = MdesCallPriority.Interactive)
    {
        await using (var select = dataSource.CreateCommand("SELECT media_type, bytes FROM card_art_assets WHERE asset_id = $1"))
        {
            select.Parameters.AddWithValue(assetId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                CardArtMetrics.Asset(hit: true);
                return new CardArtContent(reader.GetString(0), (byte[])reader.GetValue(1));
            }
        }

        CardArtMetrics.Asset(hit: false);
        var renditions = await mdes.GetAssetAsync(assetId, new MdesCallContext(tokenRequestorId, priority), cancellationToken);
        var (content, width, height) = Pick(renditions);
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO card_art_assets (asset_id, media_type, bytes, width, height, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (asset_id) DO NOTHING
            """))
        {
            insert.Parameters.AddWithValue(assetId);
            insert.Parameters.AddWithValue(content.MediaType);
            insert.Parameters.AddWithValue(NpgsqlDbType.Bytea, content.Bytes);
            insert.Parameters.AddWithValue(NpgsqlDbType.Integer, (object?)width ?? DBNull.Value);
            insert.Parameters.AddWithValue(NpgsqlDbType.Integer, (object?)height ?? DBNull.Value);
            insert.Parameters.AddWithValue(clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
        }

        LogAssetCached(assetId, content.MediaType, content.Bytes.Length);
        return content;
    }

    public async Task<CardArtContent?> FindCompositeAsync(string cacheKey, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT media_type, bytes FROM card_art_composites WHERE cache_key = $1");
        select.Parameters.AddWithValue(cacheKey);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return CardArtMetrics.Composite(await reader.ReadAsync(cancellationToken) ? new CardArtContent(reader.GetString(0), (byte[])reader.GetValue(1)) : null);
    }

    public async Task StoreCompositeAsync(string cacheKey, CardArtContent content)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO card_art_composites (cache_key, media_type, bytes, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (cache_key) DO NOTHING
            """);
        insert.Parameters.AddWithValue(cacheKey);
        insert.Parameters.AddWithValue(content.MediaType);
        insert.Parameters.AddWithValue(NpgsqlDbType.Bytea, content.Bytes);
        insert.Parameters.AddWithValue(clock.GetUtcNow());
        await insert.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>MDES may offer several renditions; PNG is what we can composite, PDF what we can pass on.</summary>
    private static (CardArtContent Content, int? Width, int? Height) Pick(IReadOnlyList<MdesAssetRendition> renditions)
    {
        var usable = renditions.Where(media => !string.IsNullOrEmpty(media.Base64Data)).ToList();
        var chosen = usable.FirstOrDefault(media => IsType(media, AssetFormatDetector.PngMimeType))
            ?? usable.FirstOrDefault(media => IsType(media, AssetFormatDetector.PdfMimeType))
            ?? usable.FirstOrDefault()
            ?? throw new InvalidAssetException("MDES returned the asset without content.");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(chosen.Base64Data!);
        }
        catch (FormatException)
        {
            throw new InvalidAssetException("MDES returned asset content that is not Base64.");
        }

        // The bytes decide what the asset really is (a mislabelled PNG is still a PNG).
        var mediaType = AssetFormatDetector.Detect(bytes, chosen.MediaType) switch
        {
            AssetFormat.Png => AssetFormatDetector.PngMimeType,
            AssetFormat.Pdf => AssetFormatDetector.PdfMimeType,
            _ => string.IsNullOrWhiteSpace(chosen.MediaType) ? "application/octet-stream" : chosen.MediaType,
        };
        return (new CardArtContent(mediaType, bytes), chosen.Width, chosen.Height);
    }

    private static bool IsType(MdesAssetRendition media, string mediaType) =>
        media.MediaType is { } type && type.StartsWith(mediaType, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card art asset {AssetId} cached ({MediaType}, {Length} bytes)")]
    private partial void LogAssetCached(string assetId, string mediaType, int length);
}
