using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IngestReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ingest_receipts",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    digest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_receipts", x => new { x.workspace_id, x.digest });
                });

            migrationBuilder.CreateIndex(
                name: "ix_ingest_receipts_created_at",
                table: "ingest_receipts",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ingest_receipts");
        }
    }
}
