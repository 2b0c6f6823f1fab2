using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FeaturesOwnTheirModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastAuthenticatorStep",
                table: "Users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactAddress",
                table: "Bodies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Website",
                table: "Bodies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CacheVersions",
                columns: table => new
                {
                    Tag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CacheVersions", x => x.Tag);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CacheVersions");

            migrationBuilder.DropColumn(
                name: "LastAuthenticatorStep",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "ContactAddress",
                table: "Bodies");

            migrationBuilder.DropColumn(
                name: "Website",
                table: "Bodies");
        }
    }
}
