"""Runs spread over workers: Dagster's Celery executor, chosen by `[warehouse] executor`.

`executor_for` gives the job's executor: in process (the default: one process, one connection to
the build file) or `dagster-celery`'s, whose steps are tasks on Celery workers. `app` is what the
workers run (`celery -A sdmi_pipeline.warehouse.workers worker`): the same broker, from the same
settings. Steps still take turns on the build file: the instance limits the `warehouse` pool to
one step at a time (deploy/dagster.celery.yaml). docs/deployment.md, "Runs spread over workers".
"""

from typing import Any

from dagster import ExecutorDefinition, in_process_executor

from sdmi_pipeline.settings import WarehouseSettings, load_settings

# One task per worker process at a time, none reserved ahead. A task is acknowledged when it ends,
# and a task whose worker process died is put back in the queue: another worker runs the step.
CELERY_SETTINGS = {
    "worker_prefetch_multiplier": 1,
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
}


def celery_config(settings: WarehouseSettings) -> dict[str, Any]:
    if not settings.broker:
        raise ValueError("[warehouse] executor = 'celery' needs broker (SDMI_CELERY_BROKER)")
    return {"broker": settings.broker, "backend": settings.broker, "config_source": CELERY_SETTINGS}


def executor_for(settings: WarehouseSettings) -> ExecutorDefinition:
    """The executor every job runs on."""
    if settings.executor == "in_process":
        return in_process_executor
    from dagster_celery import celery_executor  # only a celery deployment installs it

    return celery_executor.configured(celery_config(settings), name="celery")


def celery_app():  # -> celery.Celery
    """The Celery app of the workers, with Dagster's step task registered."""
    from dagster_celery.executor import CeleryExecutor
    from dagster_celery.make_app import make_app
    from dagster_celery.tasks import create_task

    app = make_app(CeleryExecutor.for_cli(**celery_config(load_settings().warehouse)).app_args())
    create_task(app)
    return app


def __getattr__(name: str):  # `celery -A sdmi_pipeline.warehouse.workers` looks up `app`
    if name == "app":
        return celery_app()
    raise AttributeError(name)
