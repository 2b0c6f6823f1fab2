namespace Caravan.Features.Reports;

/// <summary>Lays a <see cref="ReportDocument"/> out as PDF. (Being written: issue 17.)</summary>
public static class ReportPdf
{
    public static void Write(ReportDocument report, Stream output) =>
        throw new NotImplementedException("The PDF report writer is being written (issue 17).");
}
