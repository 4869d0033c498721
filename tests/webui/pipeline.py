"""A pipeline of one function step, run locally with the unmodified ClearML SDK (for the browser test's Pipelines page).
Its own process, so that the controller is the process's main task."""
from clearml import PipelineController


def double(x):
    return x * 2


pipe = PipelineController(name="ui pipeline", project="UI Pipelines", version="1.0.0", add_pipeline_tags=False)
pipe.add_parameter("x", 3)
pipe.add_function_step(name="double", function=double, function_kwargs={"x": "${pipeline.x}"}, function_return=["y"],
                       cache_executed_step=False)
pipe.start_locally(run_pipeline_steps_locally=True)
