using Caravan.Features.Uploads;

namespace Caravan.Web.Infrastructure;

/// <summary>What an upload may hold once unpacked: <c>Caravan:Uploads:*</c> (README, "Configuration").</summary>
public static class UploadSettings
{
    public static UploadLimits Read(IConfiguration configuration) =>
        configuration.GetSection(UploadLimits.Section).Get<UploadLimits>() ?? new UploadLimits();
}
