using Microsoft.Extensions.Localization;

// The assembly is named "caravan" (the executable); resources are embedded under the root namespace.
[assembly: RootNamespace("Caravan.Web")]

namespace Caravan.Web;

/// <summary>
/// Marker for the portal's UI strings: Resources/SharedResource{,.zh,.ru}.resx (English is the neutral file).
/// </summary>
public sealed class SharedResource;
