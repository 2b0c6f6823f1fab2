using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProjectListingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Projects_Listing",
                table: "Projects",
                columns: new[] { "Published", "IatiIdentifier", "IsUmbrella", "DirectionId", "Status", "Stage", "StageOverride", "ActualStart", "PlannedStart", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_Listing",
                table: "Projects");
        }
    }
}
