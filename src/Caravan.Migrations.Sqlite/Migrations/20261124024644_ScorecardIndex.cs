using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ScorecardIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assessments_PeriodId",
                table: "Assessments");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_PeriodId_CommitmentId_StateId_Score",
                table: "Assessments",
                columns: new[] { "PeriodId", "CommitmentId", "StateId", "Score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assessments_PeriodId_CommitmentId_StateId_Score",
                table: "Assessments");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_PeriodId",
                table: "Assessments",
                column: "PeriodId");
        }
    }
}
