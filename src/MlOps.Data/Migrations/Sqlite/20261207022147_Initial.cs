using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "revoked_tokens",
                columns: table => new
                {
                    token_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revoked_tokens", x => x.token_id);
                });

            migrationBuilder.CreateTable(
                name: "server_settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_server_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workspaces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "blobs",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_blobs", x => new { x.workspace_id, x.sha256 });
                    table.ForeignKey(
                        name: "fk_blobs_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "panel_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    file_path = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_panel_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_panel_templates_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    system_tags = table.Column<string>(type: "TEXT", nullable: false),
                    default_output_destination = table.Column<string>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", nullable: true),
                    share_codes = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "queues",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    system_tags = table.Column<string>(type: "TEXT", nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "registered_models",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", nullable: true),
                    is_public = table.Column<bool>(type: "INTEGER", nullable: false),
                    license = table.Column<string>(type: "TEXT", nullable: true),
                    ethical_considerations = table.Column<string>(type: "TEXT", nullable: true),
                    trade_offs = table.Column<string>(type: "TEXT", nullable: true),
                    limitations = table.Column<string>(type: "TEXT", nullable: true),
                    audience = table.Column<string>(type: "TEXT", nullable: true),
                    use_cases = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registered_models", x => x.id);
                    table.ForeignKey(
                        name: "fk_registered_models_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "service_connectors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    connector_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    auth_method = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    resource_types = table.Column<string>(type: "TEXT", nullable: false),
                    configuration = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    flavor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    configuration = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    components = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    preferences = table.Column<string>(type: "TEXT", nullable: true),
                    is_service_account = table.Column<bool>(type: "INTEGER", nullable: false),
                    full_name = table.Column<string>(type: "TEXT", nullable: true),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    deactivated = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_users_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_targets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    url = table.Column<string>(type: "TEXT", nullable: false),
                    headers = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_targets", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_targets_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    queue_ids = table.Column<string>(type: "TEXT", nullable: false),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    timeout_seconds = table.Column<int>(type: "INTEGER", nullable: false),
                    registered_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "files",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    path = table.Column<string>(type: "TEXT", nullable: false),
                    blob_sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_files", x => new { x.workspace_id, x.path });
                    table.ForeignKey(
                        name: "fk_files_blobs_workspace_id_blob_sha256",
                        columns: x => new { x.workspace_id, x.blob_sha256 },
                        principalTable: "blobs",
                        principalColumns: new[] { "workspace_id", "sha256" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "annotation_evaluations",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ground_truth = table.Column<string>(type: "TEXT", nullable: false),
                    search_to_evaluate = table.Column<string>(type: "TEXT", nullable: false),
                    concepts = table.Column<string>(type: "TEXT", nullable: true),
                    evaluation_type = table.Column<string>(type: "TEXT", nullable: true),
                    metrics = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotation_evaluations", x => new { x.project_id, x.id });
                    table.ForeignKey(
                        name: "fk_annotation_evaluations_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotation_filters",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    search = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotation_filters", x => new { x.project_id, x.id });
                    table.ForeignKey(
                        name: "fk_annotation_filters_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "artifacts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    is_public = table.Column<bool>(type: "INTEGER", nullable: false),
                    emoji = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_artifacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_artifacts_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_artifacts_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "concepts",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    language = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_concepts", x => new { x.project_id, x.id });
                    table.ForeignKey(
                        name: "fk_concepts_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inputs",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    file_path = table.Column<string>(type: "TEXT", nullable: true),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inputs", x => new { x.project_id, x.id });
                    table.ForeignKey(
                        name: "fk_inputs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pipelines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    spec = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "visualization_stores",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    store = table.Column<string>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_visualization_stores", x => new { x.project_id, x.instance_id });
                    table.ForeignKey(
                        name: "fk_visualization_stores_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "credentials",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    identifier = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", nullable: true),
                    label = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credentials", x => x.id);
                    table.ForeignKey(
                        name: "fk_credentials_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_credentials_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "secrets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    scope = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    encrypted_values = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "workspace_members",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    is_admin = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workspace_members", x => new { x.workspace_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_workspace_members_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_workspace_members_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotations",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    input_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    trusted = table.Column<bool>(type: "INTEGER", nullable: false),
                    input_level = table.Column<bool>(type: "INTEGER", nullable: false),
                    annotation_info = table.Column<string>(type: "TEXT", nullable: true),
                    task_id = table.Column<string>(type: "TEXT", nullable: true),
                    model_version_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotations", x => new { x.project_id, x.id });
                    table.ForeignKey(
                        name: "fk_annotations_inputs_project_id_input_id",
                        columns: x => new { x.project_id, x.input_id },
                        principalTable: "inputs",
                        principalColumns: new[] { "project_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    pipeline_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    stack_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", nullable: true),
                    status_message = table.Column<string>(type: "TEXT", nullable: true),
                    comment = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    system_tags = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    published_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    status_changed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_changed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_changed_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    last_iteration = table.Column<long>(type: "INTEGER", nullable: false),
                    queue_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    last_worker = table.Column<string>(type: "TEXT", nullable: true),
                    last_worker_report_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    script = table.Column<string>(type: "TEXT", nullable: true),
                    runtime = table.Column<string>(type: "TEXT", nullable: true),
                    execution = table.Column<string>(type: "TEXT", nullable: true),
                    output = table.Column<string>(type: "TEXT", nullable: true),
                    container = table.Column<string>(type: "TEXT", nullable: true),
                    models = table.Column<string>(type: "TEXT", nullable: true),
                    system_details = table.Column<string>(type: "TEXT", nullable: true),
                    html = table.Column<string>(type: "TEXT", nullable: true),
                    code = table.Column<string>(type: "TEXT", nullable: true),
                    graph = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiments", x => x.id);
                    table.ForeignKey(
                        name: "fk_experiments_pipelines_pipeline_id",
                        column: x => x.pipeline_id,
                        principalTable: "pipelines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_experiments_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_experiments_stacks_stack_id",
                        column: x => x.stack_id,
                        principalTable: "stacks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_experiments_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pipeline_deployments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    stack_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "pipeline_schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    cron_expression = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    interval_seconds = table.Column<long>(type: "INTEGER", nullable: true),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "artifact_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    artifact_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    aliases = table.Column<string>(type: "TEXT", nullable: false),
                    uri = table.Column<string>(type: "TEXT", nullable: true),
                    materializer = table.Column<string>(type: "TEXT", nullable: true),
                    producer_step_run_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_artifact_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_artifact_versions_artifacts_artifact_id",
                        column: x => x.artifact_id,
                        principalTable: "artifacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_artifact_versions_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    iteration = table.Column<long>(type: "INTEGER", nullable: true),
                    metric = table.Column<string>(type: "TEXT", nullable: true),
                    variant = table.Column<string>(type: "TEXT", nullable: true),
                    timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_events_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiment_links",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiment_links", x => new { x.project_id, x.experiment_id });
                    table.ForeignKey(
                        name: "fk_experiment_links_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_experiment_links_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiment_parameters",
                columns: table => new
                {
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    section = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: true),
                    type = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiment_parameters", x => new { x.experiment_id, x.kind, x.section, x.name });
                    table.ForeignKey(
                        name: "fk_experiment_parameters_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metric_series",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    metric = table.Column<string>(type: "TEXT", nullable: false),
                    variant = table.Column<string>(type: "TEXT", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    last_value = table.Column<double>(type: "REAL", nullable: false),
                    last_step = table.Column<long>(type: "INTEGER", nullable: false),
                    last_timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    min_value = table.Column<double>(type: "REAL", nullable: false),
                    min_step = table.Column<long>(type: "INTEGER", nullable: false),
                    max_value = table.Column<double>(type: "REAL", nullable: false),
                    max_step = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_series", x => x.id);
                    table.ForeignKey(
                        name: "fk_metric_series_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "models",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    project_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    uri = table.Column<string>(type: "TEXT", nullable: true),
                    framework = table.Column<string>(type: "TEXT", nullable: true),
                    comment = table.Column<string>(type: "TEXT", nullable: true),
                    design = table.Column<string>(type: "TEXT", nullable: true),
                    labels = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    ready = table.Column<bool>(type: "INTEGER", nullable: false),
                    last_iteration = table.Column<long>(type: "INTEGER", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    system_tags = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_update = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_models", x => x.id);
                    table.ForeignKey(
                        name: "fk_models_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_models_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_models_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "queue_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    queue_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    position = table.Column<long>(type: "INTEGER", nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "remote_calls",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    function_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    arguments = table.Column<string>(type: "TEXT", nullable: false),
                    comet_defined = table.Column<bool>(type: "INTEGER", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remote_calls", x => x.id);
                    table.ForeignKey(
                        name: "fk_remote_calls_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metric_points",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    series_id = table.Column<long>(type: "INTEGER", nullable: false),
                    step = table.Column<long>(type: "INTEGER", nullable: false),
                    epoch = table.Column<double>(type: "REAL", nullable: true),
                    timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_points", x => x.id);
                    table.ForeignKey(
                        name: "fk_metric_points_metric_series_series_id",
                        column: x => x.series_id,
                        principalTable: "metric_series",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateTable(
                name: "experiment_assets",
                columns: table => new
                {
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    asset_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: true),
                    step = table.Column<long>(type: "INTEGER", nullable: true),
                    context = table.Column<string>(type: "TEXT", nullable: true),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    file_path = table.Column<string>(type: "TEXT", nullable: true),
                    remote_link = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    model_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    artifact_version_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiment_assets", x => new { x.experiment_id, x.asset_id });
                    table.ForeignKey(
                        name: "fk_experiment_assets_artifact_versions_artifact_version_id",
                        column: x => x.artifact_version_id,
                        principalTable: "artifact_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_experiment_assets_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_experiment_assets_models_model_id",
                        column: x => x.model_id,
                        principalTable: "models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "registered_model_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    registered_model_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    model_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    comment = table.Column<string>(type: "TEXT", nullable: true),
                    stages = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registered_model_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_registered_model_versions_models_model_id",
                        column: x => x.model_id,
                        principalTable: "models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_registered_model_versions_registered_models_registered_model_id",
                        column: x => x.registered_model_id,
                        principalTable: "registered_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_annotations_project_id_created_at",
                table: "annotations",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_annotations_project_id_input_id",
                table: "annotations",
                columns: new[] { "project_id", "input_id" });

            migrationBuilder.CreateIndex(
                name: "ix_artifact_versions_artifact_id_version",
                table: "artifact_versions",
                columns: new[] { "artifact_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_artifact_versions_experiment_id",
                table: "artifact_versions",
                column: "experiment_id");

            migrationBuilder.CreateIndex(
                name: "ix_artifacts_project_id",
                table: "artifacts",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_artifacts_workspace_id_name",
                table: "artifacts",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credentials_identifier",
                table: "credentials",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credentials_user_id",
                table: "credentials",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_credentials_workspace_id",
                table: "credentials",
                column: "workspace_id");

            migrationBuilder.CreateIndex(
                name: "ix_events_experiment_id_kind_iteration",
                table: "events",
                columns: new[] { "experiment_id", "kind", "iteration" });

            migrationBuilder.CreateIndex(
                name: "ix_experiment_assets_artifact_version_id",
                table: "experiment_assets",
                column: "artifact_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiment_assets_model_id",
                table: "experiment_assets",
                column: "model_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiment_links_experiment_id",
                table: "experiment_links",
                column: "experiment_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_parent_id",
                table: "experiments",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_pipeline_id",
                table: "experiments",
                column: "pipeline_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_project_id",
                table: "experiments",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_stack_id",
                table: "experiments",
                column: "stack_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_workspace_id_project_id_created_at",
                table: "experiments",
                columns: new[] { "workspace_id", "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_experiments_workspace_id_status",
                table: "experiments",
                columns: new[] { "workspace_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_files_workspace_id_blob_sha256",
                table: "files",
                columns: new[] { "workspace_id", "blob_sha256" });

            migrationBuilder.CreateIndex(
                name: "ix_metric_points_series_id_step",
                table: "metric_points",
                columns: new[] { "series_id", "step" });

            migrationBuilder.CreateIndex(
                name: "ix_metric_series_experiment_id_metric_variant",
                table: "metric_series",
                columns: new[] { "experiment_id", "metric", "variant" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_models_experiment_id",
                table: "models",
                column: "experiment_id");

            migrationBuilder.CreateIndex(
                name: "ix_models_project_id",
                table: "models",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_models_workspace_id_project_id_created_at",
                table: "models",
                columns: new[] { "workspace_id", "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_panel_templates_workspace_id",
                table: "panel_templates",
                column: "workspace_id");

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
                name: "ix_projects_parent_id",
                table: "projects",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_workspace_id_name",
                table: "projects",
                columns: new[] { "workspace_id", "name" },
                unique: true);

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
                name: "ix_registered_model_versions_model_id",
                table: "registered_model_versions",
                column: "model_id");

            migrationBuilder.CreateIndex(
                name: "ix_registered_model_versions_registered_model_id_version",
                table: "registered_model_versions",
                columns: new[] { "registered_model_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registered_models_workspace_id_name",
                table: "registered_models",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_remote_calls_experiment_id",
                table: "remote_calls",
                column: "experiment_id");

            migrationBuilder.CreateIndex(
                name: "ix_revoked_tokens_expires_at",
                table: "revoked_tokens",
                column: "expires_at");

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

            migrationBuilder.CreateIndex(
                name: "ix_users_workspace_id_name",
                table: "users",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_targets_workspace_id_model_name",
                table: "webhook_targets",
                columns: new[] { "workspace_id", "model_name" });

            migrationBuilder.CreateIndex(
                name: "ix_workers_workspace_id_expires_at",
                table: "workers",
                columns: new[] { "workspace_id", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_workspace_members_user_id",
                table: "workspace_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_workspaces_name",
                table: "workspaces",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "annotation_evaluations");

            migrationBuilder.DropTable(
                name: "annotation_filters");

            migrationBuilder.DropTable(
                name: "annotations");

            migrationBuilder.DropTable(
                name: "concepts");

            migrationBuilder.DropTable(
                name: "credentials");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "experiment_assets");

            migrationBuilder.DropTable(
                name: "experiment_links");

            migrationBuilder.DropTable(
                name: "experiment_parameters");

            migrationBuilder.DropTable(
                name: "files");

            migrationBuilder.DropTable(
                name: "metric_points");

            migrationBuilder.DropTable(
                name: "metric_tiers");

            migrationBuilder.DropTable(
                name: "panel_templates");

            migrationBuilder.DropTable(
                name: "pipeline_deployments");

            migrationBuilder.DropTable(
                name: "pipeline_schedules");

            migrationBuilder.DropTable(
                name: "queue_entries");

            migrationBuilder.DropTable(
                name: "registered_model_versions");

            migrationBuilder.DropTable(
                name: "remote_calls");

            migrationBuilder.DropTable(
                name: "revoked_tokens");

            migrationBuilder.DropTable(
                name: "secrets");

            migrationBuilder.DropTable(
                name: "server_settings");

            migrationBuilder.DropTable(
                name: "service_connectors");

            migrationBuilder.DropTable(
                name: "stack_components");

            migrationBuilder.DropTable(
                name: "visualization_stores");

            migrationBuilder.DropTable(
                name: "webhook_targets");

            migrationBuilder.DropTable(
                name: "workers");

            migrationBuilder.DropTable(
                name: "workspace_members");

            migrationBuilder.DropTable(
                name: "inputs");

            migrationBuilder.DropTable(
                name: "artifact_versions");

            migrationBuilder.DropTable(
                name: "blobs");

            migrationBuilder.DropTable(
                name: "metric_series");

            migrationBuilder.DropTable(
                name: "queues");

            migrationBuilder.DropTable(
                name: "models");

            migrationBuilder.DropTable(
                name: "registered_models");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "artifacts");

            migrationBuilder.DropTable(
                name: "experiments");

            migrationBuilder.DropTable(
                name: "pipelines");

            migrationBuilder.DropTable(
                name: "stacks");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
