using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// Every data table sits in a box that scrolls sideways on its own (class <c>table-scroll</c>), so a wide table
/// never widens the page on a phone. One place for all pages; no script needed.
/// </summary>
[HtmlTargetElement("table", Attributes = "class")]
public sealed class ScrollingTableTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var classes = output.Attributes["class"]?.Value?.ToString() ?? "";
        if (!classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("data")) return;
        output.PreElement.SetHtmlContent("<div class=\"table-scroll\">");
        output.PostElement.SetHtmlContent("</div>");
    }
}
