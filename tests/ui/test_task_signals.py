"""The task bridge's callbacks are wired before the work starts: a queued signal reaches only
the connections that exist when it is sent, so a fast task must not lose its progress, its
cancellation or its end to a caller that connects after `run` returns."""

import threading

from studio.ui.tasks import TaskCancelled, TaskContext, TaskRunner


def test_a_task_done_before_its_caller_connects_still_reports_everything(qtbot, database):
    runner = TaskRunner(database)
    finished = threading.Event()
    seen: list[object] = []

    def work(context: TaskContext) -> None:
        context.progress(1, 2, "half")
        context.progress(2, 2, "all")
        finished.set()
        raise TaskCancelled()  # as a Cancel noticed at the end would

    task = runner.run(
        "Fast work",
        work,
        on_progress=lambda done, total, text: seen.append((done, total, text)),
        on_cancel=lambda: seen.append("cancelled"),
        on_end=lambda: seen.append("ended"),
    )
    assert finished.wait(10)  # every signal of the work has been sent by now
    late: list[object] = []
    task.progressed.connect(lambda *args: late.append(args))  # connected too late
    qtbot.waitUntil(lambda: "ended" in seen)
    assert seen[0] == (1, 2, "half") and seen[-2:] == ["cancelled", "ended"]
    assert late == []
    runner.wait_all()
