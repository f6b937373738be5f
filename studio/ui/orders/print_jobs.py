"""Printing from the window: build pages off the UI thread, preview them, send them to the
printers of their profiles or into a PDF, and report back in the banner."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.orders import service as orders
from studio.printing.documents import Documents, destinations
from studio.printing.output import print_pages, render_image, write_pdf
from studio.printing.page import Page
from studio.ui.banner import Banner
from studio.ui.orders.preview import PREVIEW_PIXELS_PER_POINT, PrintPreview
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

BUILDERS: dict[str, Callable[[Documents, list[orders.OrderView]], list[Page]]] = {
    "pick_list": Documents.pick_list,
    "slips": Documents.slips,
    "labels": Documents.labels,
    "cards": Documents.cards,
    "batch": Documents.batch,
}


class PrintJobs(QObject):
    finished = Signal(str)  # what was done, for the banner and tests
    preview_opened = Signal(object)  # the PrintPreview

    def __init__(self, services: Services, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = banner
        self.preview: PrintPreview | None = None

    def _build(self, kind: str, order_ids: Sequence[int] | None, context: TaskContext):
        with self.services.database.transaction() as session:
            views = (
                orders.todays_batch(session)
                if order_ids is None
                else orders.load_orders(session, order_ids)
            )
            documents = Documents(session, self.services.data_dir)
            pages = BUILDERS[kind](documents, views) if views else []
            where = destinations(session)
        context.check()
        return pages, documents.warnings, where

    def _warn(self, warnings: list[str]) -> None:
        if warnings:
            self.banner.show_error(" ".join(warnings))

    def open_preview(self, kind: str, order_ids: Sequence[int] | None) -> None:
        def work(context: TaskContext):
            pages, warnings, where = self._build(kind, order_ids, context)
            images = [render_image(page, PREVIEW_PIXELS_PER_POINT) for page in pages]
            return pages, images, warnings, where

        def show(result) -> None:
            pages, images, warnings, where = result
            self._warn(warnings)
            if not pages:
                self.banner.show_error("Nothing to print: choose orders first.")
                return
            self.preview = PrintPreview(
                pages,
                images,
                on_print=lambda chosen: self._send(chosen, where),
                on_save=lambda chosen, path: self._save(chosen, Path(path)),
                parent=self.banner.window(),
            )
            self.preview.open()
            self.preview_opened.emit(self.preview)

        self._run("Preparing the preview", work, show)

    def print_batch(self, order_ids: Sequence[int] | None, pdf: Path | None = None) -> None:
        """Today's batch in packing order, to the profiles' printers or into one PDF."""

        def work(context: TaskContext):
            pages, warnings, where = self._build("batch", order_ids, context)
            if not pages:
                return "Nothing to print: no orders to ship.", warnings
            if pdf is not None:
                write_pdf(pages, pdf, title="Today's batch")
                return f"Saved today's batch ({len(pages)} pages) to {pdf.name}.", warnings
            print_pages(pages, where.__getitem__, "Today's batch")
            return f"Sent today's batch ({len(pages)} pages) to the printers.", warnings

        self._run("Printing today's batch", work, self._done)

    def _send(self, pages: Sequence[Page], where) -> None:
        def work(_context: TaskContext):
            print_pages(pages, where.__getitem__, "Seller Studio")
            return f"Sent {len(pages)} page(s) to the printers.", []

        self._run("Printing", work, self._done)

    def _save(self, pages: Sequence[Page], path: Path) -> None:
        def work(_context: TaskContext):
            write_pdf(pages, path)
            return f"Saved {len(pages)} page(s) to {path.name}.", []

        self._run("Saving the PDF", work, self._done)

    def _run(self, label: str, work: Callable[[TaskContext], Any], on_done) -> None:
        def failed(error: BaseException) -> None:
            self.banner.show_error(f"{label} failed: {error}")
            self.finished.emit(f"failed: {error}")

        self.services.runner.run(label, work, on_done=on_done, on_error=failed, show_progress=True)

    def _done(self, result: tuple[str, list[str]]) -> None:
        message, warnings = result
        if warnings:
            self.banner.show_error(message + " " + " ".join(warnings))
        else:
            self.banner.show_info(message)
        self.finished.emit(message)
