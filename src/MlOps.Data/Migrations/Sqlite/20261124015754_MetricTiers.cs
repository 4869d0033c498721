using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_tiers",
                columns: table => new
                {
                    series_id = table.Column<long>(type: "INTEGER", nullable: false),
                    bucket = table.Column<long>(type: "INTEGER", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    sum = table.Column<double>(type: "REAL", nullable: false),
                    first_step = table.Column<long>(type: "INTEGER", nullable: false),
                    first_timestamp = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_tiers", x => new { x.series_id, x.bucket });
                    table.ForeignKey(
                        name: "fk_metric_tiers_metric_series_series_id",
                        column: x => x.series_id,
                        principalTable: "metric_series",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Points stored before tiers existed: summed into their buckets once (floor(step / 16); single values left out).
            migrationBuilder.Sql("""
                INSERT INTO metric_tiers (workspace_id, series_id, bucket, count, sum, first_step, first_timestamp)
                SELECT workspace_id, series_id, CASE WHEN step >= 0 THEN step / 16 ELSE (step - 15) / 16 END, count(*), sum(value), min(step), min(timestamp)
                FROM metric_points
                WHERE step <> -2147483648
                GROUP BY workspace_id, series_id, CASE WHEN step >= 0 THEN step / 16 ELSE (step - 15) / 16 END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_tiers");
        }
    }
}
