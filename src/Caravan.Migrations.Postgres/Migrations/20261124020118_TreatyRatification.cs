using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TreatyRatification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EntryIntoForce",
                table: "Documents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "EntryIntoForceDays",
                table: "Documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "EntryIntoForceInstruments",
                table: "Documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "RatificationSteps",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DocumentId = table.Column<string>(type: "character varying(100)", nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    On = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true),
                    EvidenceUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RatificationSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RatificationSteps_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RatificationSteps_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RatificationSteps_DocumentId_StateId_Kind",
                table: "RatificationSteps",
                columns: new[] { "DocumentId", "StateId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RatificationSteps_StateId",
                table: "RatificationSteps",
                column: "StateId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RatificationSteps");

            migrationBuilder.DropColumn(
                name: "EntryIntoForce",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "EntryIntoForceDays",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "EntryIntoForceInstruments",
                table: "Documents");
        }
    }
}
