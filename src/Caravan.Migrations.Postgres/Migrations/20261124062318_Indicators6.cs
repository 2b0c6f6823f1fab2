using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Indicators6 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Checks",
                table: "Indicators",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "SameMeasureAs",
                table: "Indicators",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Indicators_SameMeasureAs",
                table: "Indicators",
                column: "SameMeasureAs");

            migrationBuilder.AddForeignKey(
                name: "FK_Indicators_Indicators_SameMeasureAs",
                table: "Indicators",
                column: "SameMeasureAs",
                principalTable: "Indicators",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Indicators_Indicators_SameMeasureAs",
                table: "Indicators");

            migrationBuilder.DropIndex(
                name: "IX_Indicators_SameMeasureAs",
                table: "Indicators");

            migrationBuilder.DropColumn(
                name: "Checks",
                table: "Indicators");

            migrationBuilder.DropColumn(
                name: "SameMeasureAs",
                table: "Indicators");
        }
    }
}
