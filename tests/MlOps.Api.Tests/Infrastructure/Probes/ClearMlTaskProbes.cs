namespace MlOps.Api.Tests.Infrastructure.Probes;

/// <summary>A realistic request for each ClearML tasks.* and events.* action (see <see cref="Probe"/>).</summary>
public static class ClearMlTaskProbes
{
    public static readonly Probe[] All =
    [
        // tasks.*: the document
        new("POST /tasks.create", """{"name": "run-$unique", "type": "training", "project": "$project", "system_tags": ["development"], "tags": []}"""),
        new("POST /tasks.validate", """{"name": "run-$unique", "type": "training", "project": "$project"}"""),
        new("POST /tasks.get_by_id", """{"task": "$task"}"""),
        new("POST /tasks.get_by_id_ex", """{"id": ["$task"], "only_fields": ["name", "status", "project", "hyperparams", "configuration", "execution", "models"]}"""),
        new("POST /tasks.get_all", """{"project": ["$project"], "only_fields": ["id", "name", "status", "last_metrics"], "order_by": ["-last_update"]}"""),
        new("POST /tasks.get_all_ex", """{"id": ["$task"], "only_fields": ["name", "status", "project", "hyperparams", "configuration", "last_metrics"]}"""),
        new("POST /tasks.get_types", """{"projects": ["$project"]}"""),
        new("POST /tasks.edit", """{"task": "$task", "name": "renamed-$unique", "force": true}"""),
        new("POST /tasks.update", """{"task": "$task", "name": "renamed-$unique", "tags": ["x"], "comment": "c"}"""),
        new("POST /tasks.update_batch",
            """
            {"task": "$task", "name": "renamed-$unique", "tags": ["batch"]}
            {"task": "$stoppedTask", "comment": "updated in a batch"}
            """) { ContentType = "application/json-lines" },
        new("POST /tasks.update_tags", """{"ids": ["$task"], "add_tags": ["best"], "remove_tags": ["old"]}"""),
        new("POST /tasks.set_requirements", """{"task": "$task", "requirements": {"pip": "numpy==1.26\ntorch"}}"""),
        new("POST /tasks.move", """{"ids": ["$task"], "project_name": "moved-$unique"}"""),
        new("POST /tasks.clone", """{"task": "$task", "new_task_name": "second try $unique"}"""),
        new("POST /tasks.ping", """{"task": "$task"}"""),
        new("POST /tasks.make_public", """{"ids": ["$task"]}"""),
        new("POST /tasks.make_private", """{"ids": ["$task"]}"""),
        new("POST /tasks.archive", """{"tasks": ["$task"]}"""),
        new("POST /tasks.archive_many", """{"ids": ["$task"]}"""),
        new("POST /tasks.unarchive_many", """{"ids": ["$task"]}"""),
        new("POST /tasks.delete", """{"task": "$task"}"""),
        new("POST /tasks.delete_many", """{"ids": ["$task"]}"""),

        // tasks.*: parameters, configuration, artifacts, models
        new("POST /tasks.get_hyper_params", """{"tasks": ["$task"]}"""),
        new("POST /tasks.edit_hyper_params", """{"task": "$task", "hyperparams": [{"section": "Args", "name": "lr", "value": "0.1", "type": "float"}]}"""),
        new("POST /tasks.delete_hyper_params", """{"task": "$task", "hyperparams": [{"section": "Args", "name": "p"}]}"""),
        new("POST /tasks.get_configurations", """{"tasks": ["$task"], "names": ["General"]}"""),
        new("POST /tasks.get_configuration_names", """{"tasks": ["$task"]}"""),
        new("POST /tasks.edit_configuration", """{"task": "$task", "configuration": [{"name": "model", "value": "a=1", "type": "dictionary"}]}"""),
        new("POST /tasks.delete_configuration", """{"task": "$task", "configuration": ["General"]}"""),
        new("POST /tasks.add_or_update_artifacts", """{"task": "$task", "artifacts": [{"key": "stats", "type": "dict", "mode": "output", "uri": "http://files/stats-$unique.json", "hash": "h2"}], "force": true}"""),
        new("POST /tasks.delete_artifacts", """{"task": "$task", "artifacts": [{"key": "stats", "mode": "output"}]}"""),
        new("POST /tasks.add_or_update_model", """{"task": "$task", "name": "resnet", "model": "$model", "type": "output"}"""),
        new("POST /tasks.delete_models", """{"task": "$task", "models": [{"name": "weights", "type": "output"}]}"""),

        // tasks.*: status and queues
        new("POST /tasks.started", """{"task": "$task"}"""),
        new("POST /tasks.stopped", """{"task": "$stoppedTask", "status_reason": "aborted"}"""),
        new("POST /tasks.failed", """{"task": "$stoppedTask", "status_reason": "Exception ValueError", "status_message": "boom"}"""),
        new("POST /tasks.completed", """{"task": "$stoppedTask", "force": false, "status_reason": "completed", "publish": false}"""),
        new("POST /tasks.close", """{"task": "$stoppedTask", "status_reason": "done"}"""),
        new("POST /tasks.publish", """{"task": "$stoppedTask"}"""),
        new("POST /tasks.publish_many", """{"ids": ["$stoppedTask"]}"""),
        new("POST /tasks.reset", """{"task": "$stoppedTask"}"""),
        new("POST /tasks.reset_many", """{"ids": ["$stoppedTask"]}"""),
        new("POST /tasks.enqueue", """{"task": "$task", "queue": "$queue", "verify_watched_queue": false}"""),
        new("POST /tasks.enqueue_many", """{"ids": ["$task"], "queue": "$queue"}"""),
        new("POST /tasks.dequeue", """{"task": "$queuedTask"}"""),
        new("POST /tasks.dequeue_many", """{"ids": ["$queuedTask"]}"""),
        new("POST /tasks.stop", """{"task": "$queuedTask", "status_reason": "user abort"}"""),
        new("POST /tasks.stop_many", """{"ids": ["$queuedTask"]}"""),

        // events.*: reporting
        new("POST /events.add", """{"type": "training_stats_scalar", "task": "$task", "iter": 2, "metric": "loss", "variant": "train", "value": 0.5, "timestamp": 1790000000000}"""),
        new("POST /events.add_batch",
            """
            {"type": "training_stats_scalar", "task": "$task", "iter": 2, "metric": "loss", "variant": "train", "value": 0.5, "timestamp": 1790000000000}
            {"type": "log", "task": "$task", "level": "info", "worker": "w", "msg": "epoch 2", "timestamp": 1790000000001}
            """) { ContentType = "application/json-lines" },

        // events.*: reading
        new("POST /events.get_task_events", """{"task": "$task", "event_type": "training_stats_scalar", "batch_size": 1000, "model_events": false}"""),
        new("POST /events.get_task_log", """{"task": "$task", "batch_size": 100, "navigate_earlier": true, "order": "asc"}"""),
        new("POST /events.download_task_log", Query: "task=$task&line_type=text"),
        new("POST /events.get_task_metrics", """{"tasks": ["$task"], "event_type": "training_stats_scalar"}"""),
        new("POST /events.get_multi_task_metrics", """{"tasks": ["$task"], "event_type": "training_stats_scalar"}"""),
        new("POST /events.get_scalar_metrics_and_variants", """{"task": "$task"}"""),
        new("POST /events.get_task_latest_scalar_values", """{"task": "$task"}"""),
        new("POST /events.get_task_single_value_metrics", """{"tasks": ["$task"]}"""),
        new("POST /events.scalar_metrics_iter_histogram", """{"task": "$task", "key": "iter", "samples": 500, "model_events": false}"""),
        new("POST /events.multi_task_scalar_metrics_iter_histogram", """{"tasks": ["$task"], "key": "iter", "samples": 500, "model_events": false}"""),
        new("POST /events.scalar_metrics_iter_raw", """{"task": "$task", "metric": {"metric": "$metric"}, "batch_size": 100, "count_total": true}"""),
        new("POST /events.get_task_plots", """{"task": "$task", "iters": 1, "no_scroll": true}"""),
        new("POST /events.get_multi_task_plots", """{"tasks": ["$task"], "model_events": false, "metrics": [{"metric": "confusion", "variants": ["v"]}], "last_iters_per_task_metric": true, "iters": 1}"""),
        new("POST /events.debug_images", """{"metrics": [{"task": "$task", "metric": "samples", "variants": ["a"]}], "iters": 2}"""),
        new("POST /events.get_debug_image_sample", """{"task": "$task", "metric": "samples", "variant": "a", "navigate_current_metric": true}"""),
        new("POST /events.next_debug_image_sample", """{"task": "$task", "scroll_id": "$imageScroll", "navigate_earlier": false, "next_iteration": false}"""),
        new("POST /events.clear_scroll", """{"scroll_id": "$imageScroll"}"""),
        new("POST /events.plots", """{"metrics": [{"task": "$task", "metric": "confusion", "variants": ["v"]}], "iters": 1, "navigate_earlier": true}"""),
        new("POST /events.get_plot_sample", """{"task": "$task", "metric": "confusion", "navigate_current_metric": true}"""),
        new("POST /events.next_plot_sample", """{"task": "$task", "scroll_id": "$plotScroll", "navigate_earlier": true}"""),
        new("POST /events.get_vector_metrics_and_variants", """{"task": "$task"}"""),
        new("POST /events.vector_metrics_iter_histogram", """{"task": "$task", "metric": "weights", "variant": "layer1"}"""),
        new("POST /events.get_scalar_metric_data", """{"task": "$task", "metric": "$metric", "no_scroll": true}"""),

        // events.*: deleting
        new("POST /events.clear_task_log", """{"task": "$task"}"""),
        new("POST /events.delete_for_task", """{"task": "$task", "allow_locked": true}"""),
        new("POST /events.delete_for_model", """{"model": "$model", "allow_locked": true}"""),
    ];
}
