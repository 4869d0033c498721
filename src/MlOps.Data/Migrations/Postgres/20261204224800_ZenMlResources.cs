using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ZenMlResources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "deactivated",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "email",
                table: "users",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "full_name",
                table: "users",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "audience",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ethical_considerations",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "license",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "limitations",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trade_offs",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "use_cases",
                table: "registered_models",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "number",
                table: "registered_model_versions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "pipeline_id",
                table: "experiments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "stack_id",
                table: "experiments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "materializer",
                table: "artifact_versions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "producer_step_run_id",
                table: "artifact_versions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "uri",
                table: "artifact_versions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "pipelines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    spec = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pipelines", x => x.id);
                    table.ForeignKey(
                        name: "fk_pipelines_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_pipelines_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    encrypted_values = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_secrets", x => x.id);
                    table.ForeignKey(
                        name: "fk_secrets_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_secrets_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "service_connectors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    connector_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    auth_method = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    resource_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    configuration = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_connectors", x => x.id);
                    table.ForeignKey(
                        name: "fk_service_connectors_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stack_components",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    flavor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    configuration = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stack_components", x => x.id);
                    table.ForeignKey(
                        name: "fk_stack_components_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stacks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    components = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stacks", x => x.id);
                    table.ForeignKey(
                        name: "fk_stacks_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pipeline_schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    cron_expression = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    start_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    interval_seconds = table.Column<long>(type: "bigint", nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pipeline_schedules", x => x.id);
                    table.ForeignKey(
                        name: "fk_pipeline_schedules_pipelines_pipeline_id",
                        column: x => x.pipeline_id,
                        principalTable: "pipelines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_pipeline_schedules_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pipeline_deployments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: true),
                    stack_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pipeline_deployments", x => x.id);
                    table.ForeignKey(
                        name: "fk_pipeline_deployments_pipelines_pipeline_id",
                        column: x => x.pipeline_id,
                        principalTable: "pipelines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_pipeline_deployments_stacks_stack_id",
                        column: x => x.stack_id,
                        principalTable: "stacks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_pipeline_deployments_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_experiments_pipeline_id",
                table: "experiments",
                column: "pipeline_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_stack_id",
                table: "experiments",
                column: "stack_id");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_deployments_pipeline_id",
                table: "pipeline_deployments",
                column: "pipeline_id");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_deployments_stack_id",
                table: "pipeline_deployments",
                column: "stack_id");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_deployments_workspace_id",
                table: "pipeline_deployments",
                column: "workspace_id");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_schedules_pipeline_id",
                table: "pipeline_schedules",
                column: "pipeline_id");

            migrationBuilder.CreateIndex(
                name: "ix_pipeline_schedules_workspace_id_name",
                table: "pipeline_schedules",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pipelines_project_id_name_version",
                table: "pipelines",
                columns: new[] { "project_id", "name", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pipelines_workspace_id",
                table: "pipelines",
                column: "workspace_id");

            migrationBuilder.CreateIndex(
                name: "ix_secrets_user_id",
                table: "secrets",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_secrets_workspace_id_scope_user_id_name",
                table: "secrets",
                columns: new[] { "workspace_id", "scope", "user_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_service_connectors_workspace_id_name",
                table: "service_connectors",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stack_components_workspace_id_type_name",
                table: "stack_components",
                columns: new[] { "workspace_id", "type", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stacks_workspace_id_name",
                table: "stacks",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_experiments_pipelines_pipeline_id",
                table: "experiments",
                column: "pipeline_id",
                principalTable: "pipelines",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_experiments_stacks_stack_id",
                table: "experiments",
                column: "stack_id",
                principalTable: "stacks",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            // Existing registry versions are numbered in the order they were added.
            migrationBuilder.Sql(
                """
                UPDATE registered_model_versions SET number = (
                    SELECT COUNT(*) FROM registered_model_versions o
                    WHERE o.registered_model_id = registered_model_versions.registered_model_id
                      AND (o.created_at < registered_model_versions.created_at
                           OR (o.created_at = registered_model_versions.created_at AND o.id <= registered_model_versions.id)))
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_experiments_pipelines_pipeline_id",
                table: "experiments");

            migrationBuilder.DropForeignKey(
                name: "fk_experiments_stacks_stack_id",
                table: "experiments");

            migrationBuilder.DropTable(
                name: "pipeline_deployments");

            migrationBuilder.DropTable(
                name: "pipeline_schedules");

            migrationBuilder.DropTable(
                name: "secrets");

            migrationBuilder.DropTable(
                name: "service_connectors");

            migrationBuilder.DropTable(
                name: "stack_components");

            migrationBuilder.DropTable(
                name: "stacks");

            migrationBuilder.DropTable(
                name: "pipelines");

            migrationBuilder.DropIndex(
                name: "ix_experiments_pipeline_id",
                table: "experiments");

            migrationBuilder.DropIndex(
                name: "ix_experiments_stack_id",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "deactivated",
                table: "users");

            migrationBuilder.DropColumn(
                name: "email",
                table: "users");

            migrationBuilder.DropColumn(
                name: "full_name",
                table: "users");

            migrationBuilder.DropColumn(
                name: "audience",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "ethical_considerations",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "license",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "limitations",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "trade_offs",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "use_cases",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "number",
                table: "registered_model_versions");

            migrationBuilder.DropColumn(
                name: "pipeline_id",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "stack_id",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "materializer",
                table: "artifact_versions");

            migrationBuilder.DropColumn(
                name: "producer_step_run_id",
                table: "artifact_versions");

            migrationBuilder.DropColumn(
                name: "uri",
                table: "artifact_versions");
        }
    }
}
