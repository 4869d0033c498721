using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StorageAndServing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "serving_containers",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    container_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    endpoint_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    endpoint_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    model_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    model_source = table.Column<string>(type: "text", nullable: true),
                    model_version = table.Column<string>(type: "text", nullable: true),
                    preprocess_artifact = table.Column<string>(type: "text", nullable: true),
                    input_type = table.Column<string>(type: "text", nullable: true),
                    input_size = table.Column<string>(type: "text", nullable: true),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    system_tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    reference = table.Column<string>(type: "text", nullable: true),
                    address = table.Column<string>(type: "text", nullable: true),
                    registered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    timeout_seconds = table.Column<int>(type: "integer", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    uptime_seconds = table.Column<long>(type: "bigint", nullable: true),
                    requests = table.Column<long>(type: "bigint", nullable: true),
                    requests_per_minute = table.Column<double>(type: "double precision", nullable: true),
                    latency_ms = table.Column<long>(type: "bigint", nullable: true),
                    cpu_count = table.Column<int>(type: "integer", nullable: true),
                    gpu_count = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serving_containers", x => new { x.workspace_id, x.container_id });
                    table.ForeignKey(
                        name: "fk_serving_containers_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "serving_samples",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    container_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    endpoint_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: true),
                    requests_per_minute = table.Column<double>(type: "double precision", nullable: true),
                    uptime_seconds = table.Column<long>(type: "bigint", nullable: true),
                    latency_ms = table.Column<long>(type: "bigint", nullable: true),
                    cpu_usage = table.Column<double>(type: "double precision", nullable: true),
                    cpu_count = table.Column<int>(type: "integer", nullable: true),
                    gpu_usage = table.Column<double>(type: "double precision", nullable: true),
                    gpu_count = table.Column<int>(type: "integer", nullable: true),
                    memory_used = table.Column<double>(type: "double precision", nullable: true),
                    memory_free = table.Column<double>(type: "double precision", nullable: true),
                    memory_total = table.Column<double>(type: "double precision", nullable: true),
                    gpu_memory_used = table.Column<double>(type: "double precision", nullable: true),
                    gpu_memory_free = table.Column<double>(type: "double precision", nullable: true),
                    gpu_memory_total = table.Column<double>(type: "double precision", nullable: true),
                    network_rx = table.Column<double>(type: "double precision", nullable: true),
                    network_tx = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_serving_samples", x => x.id);
                    table.ForeignKey(
                        name: "fk_serving_samples_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "storage_settings",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    aws = table.Column<string>(type: "text", nullable: true),
                    google = table.Column<string>(type: "text", nullable: true),
                    azure = table.Column<string>(type: "text", nullable: true),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storage_settings", x => x.workspace_id);
                    table.ForeignKey(
                        name: "fk_storage_settings_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_serving_containers_workspace_id_endpoint_url_expires_at",
                table: "serving_containers",
                columns: new[] { "workspace_id", "endpoint_url", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_serving_samples_timestamp",
                table: "serving_samples",
                column: "timestamp");

            migrationBuilder.CreateIndex(
                name: "ix_serving_samples_workspace_id_endpoint_url_timestamp",
                table: "serving_samples",
                columns: new[] { "workspace_id", "endpoint_url", "timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "serving_containers");

            migrationBuilder.DropTable(
                name: "serving_samples");

            migrationBuilder.DropTable(
                name: "storage_settings");
        }
    }
}
