namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ClearML action but tasks.* and events.* (see <see cref="ClearMlTaskProbes"/>), and the files server (see <see cref="Probe"/>).</summary>
public static class ClearMlProbes
{
    private const string AdminOnly = "user administration is for workspace admins, and a world's caller is a plain user (the tenant's first user)";

    public static readonly Probe[] All =
    [
        // auth.* and login.*
        new("POST /auth.login", """{"expiration_sec": 3600}"""),
        new("POST /auth.logout", "{}") { SignsOut = true },
        new("POST /auth.validate_token", """{"token": "$token"}"""),
        new("POST /auth.create_credentials", """{"label": "laptop-$unique"}"""),
        new("POST /auth.get_credentials", "{}"),
        new("POST /auth.edit_credentials", """{"access_key": "$accessKey", "label": "laptop-$unique"}"""),
        new("POST /auth.revoke_credentials", """{"access_key": "$accessKey"}"""),
        new("POST /auth.fixed_users_mode", "{}"),
        new("POST /auth.create_user", """{"name": "bob-$unique", "role": "user"}""") { Expect = 403, Why = AdminOnly },
        new("POST /auth.edit_user", """{"user": "$user", "role": "admin"}""") { Expect = 403, Why = AdminOnly },
        new("POST /auth.get_token_for_user", """{"user": "$user", "expiration_sec": 3600}""") { Expect = 403, Why = AdminOnly },
        new("POST /login.supported_modes", "{}"),
        new("POST /login.logout", "{}") { SignsOut = true },

        // users.*
        new("POST /users.create", """{"name": "bob-$unique", "role": "user"}""") { Expect = 403, Why = AdminOnly },
        new("POST /users.delete", """{"user": "$user"}""") { Expect = 403, Why = AdminOnly },
        new("POST /users.get_current_user", "{}"),
        new("POST /users.get_by_id", """{"user": "$user"}"""),
        new("POST /users.get_all", """{"id": ["$user"], "only_fields": ["id", "name", "company"]}"""),
        new("POST /users.get_all_ex", """{"id": ["$user"]}"""),
        new("POST /users.update", """{"user": "$user", "name": "Alice $unique"}"""),
        new("POST /users.get_preferences", "{}"),
        new("POST /users.set_preferences", """{"preferences": {"views": {"table": {"cols": 3}}, "theme": "dark"}}"""),

        // server.*, debug.*
        new("POST /server.info", "{}"),
        new("POST /server.config", "{}"),
        new("POST /server.endpoints", "{}"),
        new("POST /server.get_stats", "{}"),
        new("POST /server.report_stats_option", "{}"),
        new("POST /debug.ping", "{}"),

        // organization.*
        new("POST /organization.get_tags", """{"include_system": true}"""),
        new("POST /organization.get_user_companies", "{}"),
        new("POST /organization.get_entities_count",
            """{"projects": {"name": "$projectName"}, "tasks": {"project": ["$project"], "status": ["created"]}, "models": {"project": ["$project"]}, "reports": {"project": ["$project"]}, "search_hidden": false}"""),
        new("POST /organization.prepare_download_for_get_all",
            """{"entity_type": "model", "project": ["$project"], "only_fields": ["id", "name", "framework"], "field_mappings": [{"field": "name", "name": "Name"}, {"field": "framework", "name": "Framework"}]}"""),
        new("POST /organization.download_for_get_all", """{"prepare_id": "$prepareId"}"""),

        // projects.*
        new("POST /projects.create", """{"name": "$projectName/sub-$unique", "description": "made by a probe"}"""),
        new("POST /projects.get_by_id", """{"project": "$project"}"""),
        new("POST /projects.get_all", """{"name": "^$projectName$", "only_fields": ["id", "name", "description", "last_update"], "search_hidden": true}"""),
        new("POST /projects.get_all_ex", """{"id": ["$project"], "include_stats": true, "check_own_contents": true, "only_fields": ["id", "name", "description"]}"""),
        new("POST /projects.update", """{"project": "$project", "description": "updated-$unique", "tags": ["p-tag"]}"""),
        new("POST /projects.delete", """{"project": "$project", "force": true}"""),
        new("POST /projects.move", """{"project": "$subproject", "new_location": "moved-$unique"}"""),
        new("POST /projects.merge", """{"project": "$subproject", "destination_project": "$project"}"""),
        new("POST /projects.get_task_tags", """{"projects": ["$project"], "include_system": true}"""),
        new("POST /projects.get_model_tags", """{"projects": ["$project"], "include_system": true}"""),
        new("POST /projects.get_project_tags", """{"projects": ["$project"], "include_system": true}"""),
        new("POST /projects.get_unique_metric_variants", """{"project": "$project"}"""),
        new("POST /projects.get_hyper_parameters", """{"project": "$project"}"""),
        new("POST /projects.get_hyperparam_values", """{"projects": ["$project"], "section": "Args", "name": "p"}"""),
        new("POST /projects.get_model_metadata_keys", """{"project": "$project", "include_subprojects": true, "page": 0, "page_size": 100}"""),
        new("POST /projects.get_model_metadata_values", """{"projects": ["$project"], "key": "accuracy", "page": 0, "page_size": 100}"""),
        new("POST /projects.get_task_parents", """{"projects": ["$project"], "tasks_state": "active"}"""),
        new("POST /projects.get_user_names", """{"projects": ["$project"]}"""),
        new("POST /projects.validate_delete", """{"project": "$project"}"""),
        new("POST /projects.make_public", """{"ids": ["$project"]}"""),
        new("POST /projects.make_private", """{"ids": ["$project"]}"""),

        // models.*
        new("POST /models.create", """{"name": "model-$unique", "uri": "file:///tmp/$unique.pt", "project": "$project", "task": "$task", "labels": {}, "ready": false, "public": false}"""),
        new("POST /models.get_by_id", """{"model": "$model"}"""),
        new("POST /models.get_by_task_id", """{"task": "$controller"}"""),
        new("POST /models.get_all", """{"project": ["$project"], "only_fields": ["id", "name", "uri", "ready"], "order_by": ["-last_update"]}"""),
        new("POST /models.get_all_ex", """{"id": ["$model"], "only_fields": ["id", "name", "project", "task"]}"""),
        new("POST /models.get_by_id_ex", """{"id": ["$model"]}"""),
        new("POST /models.get_frameworks", """{"projects": ["$project"]}"""),
        new("POST /models.edit", """{"model": "$model", "comment": "edited-$unique", "framework": "PyTorch", "tags": ["best"]}"""),
        new("POST /models.update", """{"model": "$model", "comment": "updated-$unique"}"""),
        new("POST /models.update_for_task", """{"task": "$task", "uri": "file:///tmp/$unique.pt", "iteration": 5}"""),
        new("POST /models.set_ready", """{"model": "$outputModel", "publish_task": false}"""),
        new("POST /models.publish_many", """{"ids": ["$outputModel"], "publish_task": false}"""),
        new("POST /models.archive_many", """{"ids": ["$model"]}"""),
        new("POST /models.unarchive_many", """{"ids": ["$model"]}"""),
        new("POST /models.delete", """{"model": "$model", "force": true}"""),
        new("POST /models.delete_many", """{"ids": ["$model"], "force": true}"""),
        new("POST /models.add_or_update_metadata", """{"model": "$model", "metadata": [{"key": "accuracy", "type": "float", "value": "0.9"}], "replace_metadata": false}"""),
        new("POST /models.delete_metadata", """{"model": "$model", "keys": ["accuracy"]}"""),
        new("POST /models.update_tags", """{"ids": ["$model"], "add_tags": ["best"], "remove_tags": ["old"]}"""),
        new("POST /models.move", """{"ids": ["$model"], "project": "$subproject"}"""),
        new("POST /models.make_public", """{"ids": ["$model"]}"""),
        new("POST /models.make_private", """{"ids": ["$model"]}"""),

        // queues.*
        new("POST /queues.create", """{"name": "queue-$unique", "tags": ["gpu"]}"""),
        new("POST /queues.get_by_id", """{"queue": "$queue"}"""),
        new("POST /queues.get_all", """{"id": ["$queue"], "only_fields": ["id", "name", "entries"]}"""),
        new("POST /queues.get_all_ex", """{"id": ["$queue"]}"""),
        new("POST /queues.get_default", "{}"),
        new("POST /queues.update", """{"queue": "$queue", "name": "renamed-$unique", "tags": ["gpu"]}"""),
        new("POST /queues.delete", """{"queue": "$queue", "force": true}"""),
        new("POST /queues.add_task", """{"queue": "$queue", "task": "$task"}"""),
        new("POST /queues.remove_task", """{"queue": "$queue", "task": "$pipelineRun"}"""),
        new("POST /queues.clear_queue", """{"queue": "$queue"}"""),
        new("POST /queues.get_next_task", """{"queue": "$queue"}"""),
        new("POST /queues.peek_task", """{"queue": "$queue"}"""),
        new("POST /queues.get_num_entries", """{"queue": "$queue"}"""),
        new("POST /queues.move_task_forward", """{"queue": "$queue", "task": "$pipelineRun", "count": 1}"""),
        new("POST /queues.move_task_backward", """{"queue": "$queue", "task": "$pipelineRun", "count": 1}"""),
        new("POST /queues.move_task_to_front", """{"queue": "$queue", "task": "$pipelineRun"}"""),
        new("POST /queues.move_task_to_back", """{"queue": "$queue", "task": "$pipelineRun"}"""),
        new("POST /queues.get_queue_metrics", """{"queue_ids": ["$queue"], "from_date": 1790000000, "to_date": 1790086400, "interval": 300, "refresh": true}"""),
        new("POST /queues.add_or_update_metadata", """{"queue": "$queue", "metadata": [{"key": "gpu", "type": "str", "value": "a100"}]}"""),
        new("POST /queues.delete_metadata", """{"queue": "$queue", "keys": ["gpu"]}"""),

        // workers.*
        new("POST /workers.register", """{"worker": "$worker", "queues": ["$queue"], "timeout": 600}"""),
        new("POST /workers.status_report",
            """{"worker": "$worker", "task": "$task", "queue": "$queue", "timestamp": 1795000000000, "machine_stats": {"cpu_usage": [12.5, 40.0], "memory_used": 2048, "memory_free": 6144, "gpu_usage": [88.0], "network_rx": 1.5}}"""),
        new("POST /workers.unregister", """{"worker": "$worker"}"""),
        new("POST /workers.get_all", """{"last_seen": 3600}"""),
        new("POST /workers.get_count", """{"last_seen": 3600}"""),
        new("POST /workers.get_metric_keys", """{"worker_ids": ["$worker"]}"""),
        new("POST /workers.get_stats", """{"worker_ids": ["$worker"], "from_date": 1790000000, "to_date": 1790086400, "interval": 60, "items": [{"key": "cpu_usage", "aggregation": "avg"}]}"""),
        new("POST /workers.get_activity_report", """{"from_date": 1790000000, "to_date": 1790086400, "interval": 3600}"""),

        // pipelines.*
        new("POST /pipelines.start_pipeline", """{"task": "$controller", "queue": "$queue", "args": [{"name": "epochs", "value": "5"}]}"""),
        new("POST /pipelines.delete_runs", """{"project": "$project", "ids": ["$pipelineRun"]}"""),

        // the files server: the SDK names the upload's part by the object path.
        new("POST /files") { Multipart = [("$path", "$path", "rewritten $unique")] },
        new("GET /files/{**path}"),
        new("HEAD /files/{**path}"),
        new("DELETE /files/{**path}"),
    ];
}
