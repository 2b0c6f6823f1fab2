namespace Caravan.Features.Reports;

/// <summary>Lays a <see cref="ReportDocument"/> out as DOCX. (Being written: issue 17.)</summary>
public static class ReportDocx
{
    public static void Write(ReportDocument report, Stream output) =>
        throw new NotImplementedException("The DOCX report writer is being written (issue 17).");
}
