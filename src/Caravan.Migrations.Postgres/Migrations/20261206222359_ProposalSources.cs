using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    // Submissions made before proposals carried sources: none recorded ("[]", which the JSON column reads as an empty list).
    public partial class ProposalSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProposedSources",
                table: "Submissions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedSources",
                table: "Submissions",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "PublishedOn",
                table: "Sources",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProposedSources",
                table: "Submissions");

            migrationBuilder.DropColumn(
                name: "PublishedSources",
                table: "Submissions");

            migrationBuilder.DropColumn(
                name: "PublishedOn",
                table: "Sources");
        }
    }
}
