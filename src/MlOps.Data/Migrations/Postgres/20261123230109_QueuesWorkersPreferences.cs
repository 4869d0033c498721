using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueuesWorkersPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "preferences",
                table: "users",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_worker",
                table: "experiments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "last_worker_report_at",
                table: "experiments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "queue_id",
                table: "experiments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "label",
                table: "credentials",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "queues",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    system_tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    metadata = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queues", x => x.id);
                    table.ForeignKey(
                        name: "fk_queues_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    queue_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    registered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workers", x => new { x.workspace_id, x.name });
                    table.ForeignKey(
                        name: "fk_workers_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "queue_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    queue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<long>(type: "bigint", nullable: false),
                    added_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_queue_entries_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_queue_entries_queues_queue_id",
                        column: x => x.queue_id,
                        principalTable: "queues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_queue_entries_experiment_id",
                table: "queue_entries",
                column: "experiment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_queue_entries_queue_id_position",
                table: "queue_entries",
                columns: new[] { "queue_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_queues_workspace_id_name",
                table: "queues",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_workers_workspace_id_expires_at",
                table: "workers",
                columns: new[] { "workspace_id", "expires_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "queue_entries");

            migrationBuilder.DropTable(
                name: "workers");

            migrationBuilder.DropTable(
                name: "queues");

            migrationBuilder.DropColumn(
                name: "preferences",
                table: "users");

            migrationBuilder.DropColumn(
                name: "last_worker",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "last_worker_report_at",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "queue_id",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "label",
                table: "credentials");
        }
    }
}
