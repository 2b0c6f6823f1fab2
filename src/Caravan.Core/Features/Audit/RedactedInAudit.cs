using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace Caravan.Features.Audit;

/// <summary>
/// A property whose value never enters the audit trail: that it changed is recorded, not the value. Marks a
/// property of our own classes; Identity's inherited properties are marked in their configuration with
/// <see cref="RedactedInAudit.IsRedactedInAudit{T}(PropertyBuilder{T})"/>. Both become one model annotation,
/// which is what <see cref="AuditRecorder"/> reads, so a renamed property keeps its mark.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RedactedInAuditAttribute : Attribute;

public static class RedactedInAudit
{
    public const string Annotation = "Caravan:RedactedInAudit";

    public static PropertyBuilder<T> IsRedactedInAudit<T>(this PropertyBuilder<T> property)
    {
        property.HasAnnotation(Annotation, true);
        return property;
    }

    public static bool IsRedactedInAudit(this IReadOnlyProperty property) =>
        property.FindAnnotation(Annotation)?.Value is true;
}

/// <summary>Turns <see cref="RedactedInAuditAttribute"/> into the model annotation.</summary>
internal sealed class RedactedInAuditConvention(ProviderConventionSetBuilderDependencies dependencies)
    : PropertyAttributeConventionBase<RedactedInAuditAttribute>(dependencies)
{
    protected override void ProcessPropertyAdded(IConventionPropertyBuilder propertyBuilder,
        RedactedInAuditAttribute attribute, System.Reflection.MemberInfo clrMember,
        IConventionContext context) =>
        propertyBuilder.HasAnnotation(RedactedInAudit.Annotation, true, fromDataAnnotation: true);
}
