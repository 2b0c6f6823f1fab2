namespace Caravan.Features.Reports;

/// <summary>Lays a <see cref="ReportDocument"/> out as XLSX. (Being written: issue 17.)</summary>
public static class ReportXlsx
{
    public static void Write(ReportDocument report, Stream output) =>
        throw new NotImplementedException("The XLSX report writer is being written (issue 17).");
}
