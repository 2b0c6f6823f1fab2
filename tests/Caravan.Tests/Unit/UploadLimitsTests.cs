using System.IO.Compression;
using System.Text;
using Caravan.Features.Uploads;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Caravan.Tests.Unit;

/// <summary>
/// The byte guard under every uploaded XML, and the package reader: what Office writes passes and reads as before;
/// what exceeds a limit is refused with the limit and the place; a package's declaration of its sizes binds what the
/// process's ZIP reader gives, whatever the deflated data holds.
/// </summary>
public sealed class UploadLimitsTests
{
    private static readonly UploadLimits Limits = new() { MaxTokenBytes = 64, MaxDepth = 4 };

    private static Exception? Guard(string xml, UploadLimits? limits = null)
    {
        using var stream = new GuardedStream(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limits ?? Limits, "f", "p", 0, xml: true);
        return Record.Exception(() => stream.CopyTo(Stream.Null, 3)); // tiny reads: a token split across reads is still one
    }

    [Fact]
    public void Tags_quotes_comments_and_cdata_are_measured_whole_and_depth_counted()
    {
        Assert.Null(Guard("<?xml version=\"1.0\"?><a><b x=\"1 > 0\" y='\"'/><c><d/></c><!-- a > b --><![CDATA[x > y]]></a>"));
        var tooDeep = Assert.IsType<UploadRefusedException>(Guard("<a>\n<b>\n<c>\n<d>\n<e>"));
        Assert.Equal("upload.depth(f; p; 5; 4)", tooDeep.Refusal.ToString());
        // Closing tags and empty elements give the depth back.
        Assert.Null(Guard("<a><b/><b></b><b><c><d/></c></b><b><c/></b></a>"));
        Assert.Equal(UploadLimitMessages.Token, Assert.IsType<UploadRefusedException>(Guard($"<a x=\"{new string('>', 80)}\"/>")).Refusal.Code);
        Assert.Equal(UploadLimitMessages.Token, Assert.IsType<UploadRefusedException>(Guard($"<a>{new string('t', 80)}</a>")).Refusal.Code);
        Assert.Equal(UploadLimitMessages.Token, Assert.IsType<UploadRefusedException>(Guard($"<a><!--{new string('>', 80)}--></a>")).Refusal.Code);
        Assert.Equal(UploadLimitMessages.Token, Assert.IsType<UploadRefusedException>(Guard($"<a><![CDATA[{new string('>', 80)}]]></a>")).Refusal.Code);
        // Each text is measured alone.
        Assert.Null(Guard($"<r><a>{new string('t', 60)}</a><b>{new string('t', 60)}</b></r>"));
    }

    [Fact]
    public void An_iati_file_nested_too_deep_stops_at_its_line()
    {
        var xml = "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n<iati-activity>\n" + string.Concat(Enumerable.Repeat("<x>", 200));
        var stop = Assert.Throws<Caravan.Features.Projects.IatiFileException>(() =>
            Caravan.Features.Projects.IatiReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml))).ToList());
        Assert.Equal("iati.depth(4; 100)", stop.Reason.ToString());
    }

    [Fact]
    public void A_word_document_reads_as_its_body_paragraphs()
    {
        using var memory = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(memory, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(
                new Paragraph(new Run(new Text("Статья 1"))),
                new Paragraph(new Run(new Text("第一条 ") { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }), new Run(new TabChar()), new Run(new Text("缔约各方"))),
                new Paragraph(),
                new Paragraph(new Run(new Text("Article 2 & 3 <x>")))));
        }
        var (text, refusal) = OfficePackage.ReadDocxText(memory.ToArray(), "t.docx", new UploadLimits());
        Assert.Null(refusal);
        Assert.Equal("Статья 1\n第一条 缔约各方\n\nArticle 2 & 3 <x>", text);
    }

    [Fact]
    public void A_part_that_understates_its_size_is_read_only_to_its_declared_size()
    {
        // 300 MB of zeros declared as 1,000 bytes: ZipArchive gives 1,000, so no reader in the process gets more.
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var workbook = zip.CreateEntry("xl/workbook.xml").Open()) workbook.Write("<workbook/>"u8);
            using var part = zip.CreateEntry("xl/media/zeros.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 300; i++) part.Write(zeros);
        }
        var bytes = memory.ToArray();
        Assert.Equal(UploadLimitMessages.UnpackedTooLarge, OfficePackage.Check(bytes, "z.xlsx", OfficeFormat.Xlsx, new UploadLimits())?.Code);
        for (var i = 0; i < bytes.Length - 30; i++)
        {
            if (bytes.AsSpan(i).StartsWith("PK\u0003\u0004"u8) && BitConverter.ToUInt32(bytes, i + 22) == 300u << 20) BitConverter.GetBytes(1000u).CopyTo(bytes, i + 22);
            if (bytes.AsSpan(i).StartsWith("PK\u0001\u0002"u8) && BitConverter.ToUInt32(bytes, i + 24) == 300u << 20) BitConverter.GetBytes(1000u).CopyTo(bytes, i + 24);
        }
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            using var part = zip.GetEntry("xl/media/zeros.bin")!.Open();
            var read = 0L;
            var buffer = new byte[1 << 16];
            for (int n; (n = part.Read(buffer)) > 0;) read += n;
            Assert.Equal(1000, read);
        }
        Assert.Null(OfficePackage.Check(bytes, "z.xlsx", OfficeFormat.Xlsx, new UploadLimits()));
    }
}
