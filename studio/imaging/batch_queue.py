"""The photo batch queue in the database: queued before it runs, resumed after a restart.

A quit or a crash leaves the batch "running" with some entries still pending; on start the
app lists `unfinished_batches` and calls `run_batch` again, which does only what is left.
Only the seller's Cancel (`cancel_batch`) ends a batch without finishing it.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlmodel import Session, col, select

from studio.imaging.batch import BatchJob, BatchResult, BatchRunner, JobResult, Progress
from studio.imaging.recipe import Recipe
from studio.imaging.tables import PhotoBatch, PhotoBatchEntry
from studio.inventory.tables import utc_now
from studio.storage.database import Database

RunnerFactory = Callable[[Recipe], BatchRunner]


def queue_batch(db: Database, recipe: Recipe, jobs: Sequence[BatchJob], label: str = "") -> int:
    """Write the batch and all its photos in one transaction; returns the batch id."""
    with db.transaction() as session:
        return add_batch(session, recipe, jobs, label)


def add_batch(session: Session, recipe: Recipe, jobs: Sequence[BatchJob], label: str = "") -> int:
    """Like queue_batch, inside the caller's transaction, so other writes can join it."""
    batch = PhotoBatch(label=label, recipe=recipe.to_json())
    session.add(batch)
    session.flush()
    assert batch.id is not None
    session.add_all(
        PhotoBatchEntry(
            batch_id=batch.id,
            position=position,
            source=str(job.source),
            file_hash=job.file_hash,
            output=str(job.output) if job.output else None,
        )
        for position, job in enumerate(jobs)
    )
    return batch.id


def unfinished_batches(db: Database) -> list[PhotoBatch]:
    with db.session() as session:
        query = (
            select(PhotoBatch).where(PhotoBatch.status == "running").order_by(col(PhotoBatch.id))
        )
        return list(session.exec(query))


def pending_entries(db: Database, batch_id: int) -> list[PhotoBatchEntry]:
    with db.session() as session:
        query = (
            select(PhotoBatchEntry)
            .where(PhotoBatchEntry.batch_id == batch_id, PhotoBatchEntry.status == "pending")
            .order_by(col(PhotoBatchEntry.position))
        )
        return list(session.exec(query))


def run_batch(
    db: Database,
    batch_id: int,
    make_runner: RunnerFactory,
    on_progress: Callable[[Progress], None] | None = None,
) -> BatchResult:
    """Process the batch's pending photos, recording each result as it arrives."""
    with db.session() as session:
        batch = session.get(PhotoBatch, batch_id)
        if batch is None:
            raise KeyError(f"no photo batch {batch_id}")
        recipe = Recipe.from_json(batch.recipe)
    entries = pending_entries(db, batch_id)
    jobs = [
        BatchJob(Path(e.source), Path(e.output) if e.output else None, e.file_hash) for e in entries
    ]

    def record(result: JobResult) -> None:
        with db.transaction() as session:
            entry = session.get(PhotoBatchEntry, entries[result.index].id)
            assert entry is not None
            entry.status = "done" if result.ok else "failed"
            entry.error, entry.updated_at = result.error, utc_now()
            session.add(entry)

    runner = make_runner(recipe)
    result = runner.run(jobs, on_progress, record)
    if not result.cancelled:
        _close(db, batch_id, "done")
    return result


def cancel_batch(db: Database, batch_id: int) -> None:
    """The seller's Cancel: the batch will not be resumed."""
    _close(db, batch_id, "cancelled")


def batch_counts(db: Database, batch_id: int) -> dict[str, int]:
    """How many entries are pending, done and failed."""
    with db.session() as session:
        rows = session.exec(select(PhotoBatchEntry).where(PhotoBatchEntry.batch_id == batch_id))
        counts = {"pending": 0, "done": 0, "failed": 0}
        for entry in rows:
            counts[entry.status] += 1
        return counts


def _close(db: Database, batch_id: int, status: str) -> None:
    with db.transaction() as session:
        batch = session.get(PhotoBatch, batch_id)
        if batch is not None:
            batch.status, batch.finished_at = status, utc_now()
            session.add(batch)
