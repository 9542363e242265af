namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>An axis-aligned pixel rectangle: left/top inclusive, <see cref="Right"/>/<see cref="Bottom"/> exclusive.</summary>
internal readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public int CenterX => X + (Width / 2);

    public int CenterY => Y + (Height / 2);

    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    public bool Contains(PixelRect other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    public bool IntersectsWith(PixelRect other) => other.X < Right && X < other.Right && other.Y < Bottom && Y < other.Bottom;

    public override string ToString() => $"({X}, {Y}) {Width}x{Height}";
}
