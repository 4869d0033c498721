using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkerAndQueueStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "queue_metrics",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    queue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    length = table.Column<int>(type: "integer", nullable: false),
                    average_wait_seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_metrics", x => x.id);
                    table.ForeignKey(
                        name: "fk_queue_metrics_queues_queue_id",
                        column: x => x.queue_id,
                        principalTable: "queues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_queue_metrics_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "worker_stats",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    worker = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    metric = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    variant = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_worker_stats", x => x.id);
                    table.ForeignKey(
                        name: "fk_worker_stats_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_queue_metrics_queue_id_timestamp",
                table: "queue_metrics",
                columns: new[] { "queue_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_queue_metrics_timestamp",
                table: "queue_metrics",
                column: "timestamp");

            migrationBuilder.CreateIndex(
                name: "ix_queue_metrics_workspace_id_timestamp",
                table: "queue_metrics",
                columns: new[] { "workspace_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_worker_stats_timestamp",
                table: "worker_stats",
                column: "timestamp");

            migrationBuilder.CreateIndex(
                name: "ix_worker_stats_workspace_id_timestamp",
                table: "worker_stats",
                columns: new[] { "workspace_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_worker_stats_workspace_id_worker_timestamp",
                table: "worker_stats",
                columns: new[] { "workspace_id", "worker", "timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "queue_metrics");

            migrationBuilder.DropTable(
                name: "worker_stats");
        }
    }
}
