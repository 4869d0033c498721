using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "report",
                table: "experiments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "report_assets",
                table: "experiments",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "report",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "report_assets",
                table: "experiments");
        }
    }
}
