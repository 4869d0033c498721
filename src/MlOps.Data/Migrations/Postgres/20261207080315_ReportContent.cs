using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
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
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "report_assets",
                table: "experiments",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");
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
