using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Partnerships : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Partnerships",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StateA = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    StateB = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: true),
                    PlaceA = table.Column<string>(type: "TEXT", nullable: true),
                    LatitudeA = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: true),
                    LongitudeA = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: true),
                    PlaceB = table.Column<string>(type: "TEXT", nullable: true),
                    LatitudeB = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: true),
                    LongitudeB = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: true),
                    Institution = table.Column<string>(type: "TEXT", nullable: true),
                    PartnerInstitution = table.Column<string>(type: "TEXT", nullable: true),
                    Terms = table.Column<string>(type: "TEXT", nullable: true),
                    Agreement = table.Column<string>(type: "TEXT", nullable: true),
                    DocumentId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AgreedOn = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    StartedOn = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    EndedOn = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    SourceUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    Translated = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partnerships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Partnerships_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Partnerships_MemberStates_StateA",
                        column: x => x.StateA,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Partnerships_MemberStates_StateB",
                        column: x => x.StateB,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_DocumentId",
                table: "Partnerships",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_Kind_Status",
                table: "Partnerships",
                columns: new[] { "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_StateA",
                table: "Partnerships",
                column: "StateA");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_StateB",
                table: "Partnerships",
                column: "StateB");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Partnerships");
        }
    }
}
