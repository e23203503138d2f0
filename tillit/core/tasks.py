"""The one way to start background work: `enqueue_on_commit(task, **ids)`.

A task is enqueued only when the surrounding transaction commits (so the worker never sees rows that
were rolled back) and takes ids, never model instances. A bulk writer that does the work itself once at
the end (the demo loader) wraps its writes in `deferred()`: the tasks asked for inside are held, each
distinct call once, and handed to the caller instead of being enqueued.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class HeldTask:
    task: Any  # a django.tasks Task
    arguments: dict[str, Any]

    def run(self) -> Any:
        """Run the task's function in this process, now."""
        return self.task.call(**self.arguments)


_held: ContextVar[list[HeldTask] | None] = ContextVar("tillit_tasks_held", default=None)


def enqueue_on_commit(task, /, **arguments) -> None:
    """Enqueue `task` with these keyword arguments (ids and plain values) when the transaction commits."""
    held = _held.get()
    if held is not None:
        call = HeldTask(task, arguments)
        if call not in held:
            held.append(call)
        return
    transaction.on_commit(lambda: task.enqueue(**arguments))


@contextmanager
def deferred() -> Iterator[list[HeldTask]]:
    """Hold every task enqueued inside instead of enqueuing it; the caller gets the held calls."""
    held: list[HeldTask] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
