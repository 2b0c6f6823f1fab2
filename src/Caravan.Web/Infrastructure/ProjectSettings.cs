namespace Caravan.Web.Infrastructure;

/// <summary>Settings of projects and their IATI exchange: <c>Caravan:Projects:*</c>.</summary>
public sealed class ProjectSettings
{
    public const string Section = "Caravan:Projects";

    /// <summary>
    /// A folder holding the official IATI 2.03 XSD (iati-activities-schema.xsd, iati-common.xsd, xml.xsd).
    /// When set, every imported activity is validated against it as well as against Caravan's rules.
    /// Caravan does not ship the schema (IATI publishes it: https://github.com/IATI/IATI-Schemas, version-2.03).
    /// </summary>
    public string? IatiSchemaFolder { get; set; }

    /// <summary>The largest IATI file accepted, in bytes (upload page, API and CLI). Default 1 GiB.</summary>
    public long MaxImportBytes { get; set; } = 1L << 30;

    /// <summary>
    /// The IATI organisation identifier of the secretariat: it reports the projects created in Caravan (CSV/XLSX),
    /// whose identifiers are this prefix, a hyphen and their external id, so they stay stable across exports.
    /// </summary>
    public string OrganisationPrefix { get; set; } = "XM-CCA-SECRETARIAT";

    public static ProjectSettings Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ProjectSettings>() ?? new ProjectSettings();
}
