using System.Globalization;
using System.Text;

namespace ObotrGateway.MdesSimulator.Assets;

/// <summary>Writes a one-page vector PDF (two overlapping discs, like a brand mark) with a correct xref table.</summary>
internal static class PdfWriter
{
    public static byte[] BrandMark(int width, int height)
    {
        var r = height * 0.4;
        var content = new StringBuilder()
            .Append(Disc(width * 0.38, height / 2.0, r, "0.92 0.0 0.11"))
            .Append(Disc(width * 0.62, height / 2.0, r, "0.97 0.62 0.1"))
            .ToString();
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents 4 0 R /Resources << >> >>",
            $"<< /Length {Encoding.ASCII.GetByteCount(content)} >>\nstream\n{content}endstream",
        ];

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.ASCII.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    // A circle from four Bézier quarter arcs (k = 0.5523 is the standard control-point factor).
    private static string Disc(double cx, double cy, double r, string rgb)
    {
        var k = 0.5523 * r;
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        return $"{rgb} rg\n{F(cx + r)} {F(cy)} m\n" +
               $"{F(cx + r)} {F(cy + k)} {F(cx + k)} {F(cy + r)} {F(cx)} {F(cy + r)} c\n" +
               $"{F(cx - k)} {F(cy + r)} {F(cx - r)} {F(cy + k)} {F(cx - r)} {F(cy)} c\n" +
               $"{F(cx - r)} {F(cy - k)} {F(cx - k)} {F(cy - r)} {F(cx)} {F(cy - r)} c\n" +
               $"{F(cx + k)} {F(cy - r)} {F(cx + r)} {F(cy - k)} {F(cx + r)} {F(cy)} c\nf\n";
    }
}
