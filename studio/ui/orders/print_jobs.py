"""Printing from the window: build pages from the database, preview them off the UI thread,
send them to the printers of their profiles or into a PDF, and report back in the banner."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from sqlmodel import Session

from studio.orders import service as orders
from studio.printing.documents import Documents, destinations
from studio.printing.output import Destination, print_pages, render_image, write_pdf
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


@dataclass(frozen=True)
class Prepared:
    """Pages laid out from one transaction's view of the orders, and where each kind goes."""

    pages: list[Page]
    warnings: list[str]
    where: dict[str, Destination]


class PrintJobs(QObject):
    finished = Signal(str)  # what was done, for the banner and tests
    preview_opened = Signal(object)  # the PrintPreview

    def __init__(self, services: Services, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.banner = banner
        self.preview: PrintPreview | None = None

    def _prepare(
        self,
        label: str,
        kind: str,
        order_ids: Sequence[int] | None,
        then: Callable[[Prepared], None],
    ) -> None:
        def pages_of(session: Session, documents: Documents) -> list[Page]:
            views = (
                orders.todays_batch(session)
                if order_ids is None
                else orders.load_orders(session, order_ids)
            )
            return BUILDERS[kind](documents, views) if views else []

        self._lay_out(label, pages_of, then)

    def _lay_out(
        self,
        label: str,
        pages_of: Callable[[Session, Documents], list[Page]],
        then: Callable[[Prepared], None],
    ) -> None:
        data_dir = self.services.data_dir

        def build(session: Session) -> Prepared:
            documents = Documents(session, data_dir)
            pages = pages_of(session, documents)
            return Prepared(pages, documents.warnings, destinations(session))

        # A write, on the one writer thread: laying out may store a kind's standard template
        # and cache cover colours for the related items on cards.
        self.services.runner.write(label, build, on_done=then, on_error=self._failed(label))

    def open_preview(self, kind: str, order_ids: Sequence[int] | None) -> None:
        self._preview(lambda then: self._prepare("Preparing the preview", kind, order_ids, then))

    def preview_pages(self, pages_of: Callable[[Session, Documents], list[Page]]) -> None:
        """The preview of any pages laid out from the database (a show's run sheet)."""
        self._preview(lambda then: self._lay_out("Preparing the preview", pages_of, then))

    def _preview(self, prepare: Callable[[Callable[[Prepared], None]], None]) -> None:
        label = "Preparing the preview"

        def render(prepared: Prepared) -> None:
            if prepared.warnings:
                self.banner.show_error(" ".join(prepared.warnings))
            if not prepared.pages:
                self.banner.show_error("Nothing to print: choose orders first.")
                return

            def work(context: TaskContext) -> list[QImage]:
                images = []
                for done, page in enumerate(prepared.pages, start=1):
                    images.append(render_image(page, PREVIEW_PIXELS_PER_POINT))
                    context.progress(done, len(prepared.pages))
                    context.check()
                return images

            self._run(label, work, lambda images: self._show_preview(prepared, images))

        prepare(render)

    def _show_preview(self, prepared: Prepared, images: list[QImage]) -> None:
        self.preview = PrintPreview(
            prepared.pages,
            images,
            on_print=lambda chosen: self._send(chosen, prepared.where),
            on_save=lambda chosen, path: self._save(chosen, Path(path)),
            parent=self.banner.window(),
        )
        self.preview.open()
        self.preview_opened.emit(self.preview)

    def print_batch(self, order_ids: Sequence[int] | None, pdf: Path | None = None) -> None:
        """Today's batch in packing order, to the profiles' printers or into one PDF."""
        label = "Printing today's batch"

        def output(prepared: Prepared) -> None:
            pages, where = prepared.pages, prepared.where

            def work(_context: TaskContext) -> str:
                if not pages:
                    return "Nothing to print: no orders to ship."
                if pdf is not None:
                    write_pdf(pages, pdf, title="Today's batch")
                    return f"Saved today's batch ({len(pages)} pages) to {pdf.name}."
                print_pages(pages, where.__getitem__, "Today's batch")
                return f"Sent today's batch ({len(pages)} pages) to the printers."

            self._run(label, work, lambda message: self._done(message, prepared.warnings))

        self._prepare(label, "batch", order_ids, output)

    def save_pages(
        self, label: str, pages_of: Callable[[Session, Documents], list[Page]], pdf: Path
    ) -> None:
        """Pages laid out from the database straight into a PDF (a show's run sheet)."""

        def output(prepared: Prepared) -> None:
            def work(_context: TaskContext) -> str:
                if not prepared.pages:
                    return "Nothing to print."
                write_pdf(prepared.pages, pdf, title=label)
                return f"Saved the {label.lower()} ({len(prepared.pages)} pages) to {pdf.name}."

            self._run(label, work, lambda message: self._done(message, prepared.warnings))

        self._lay_out(label, pages_of, output)

    def _send(self, pages: Sequence[Page], where: dict[str, Destination]) -> None:
        def work(_context: TaskContext) -> str:
            print_pages(pages, where.__getitem__, "Seller Studio")
            return f"Sent {len(pages)} page(s) to the printers."

        self._run("Printing", work, self._done)

    def _save(self, pages: Sequence[Page], path: Path) -> None:
        def work(_context: TaskContext) -> str:
            write_pdf(pages, path)
            return f"Saved {len(pages)} page(s) to {path.name}."

        self._run("Saving the PDF", work, self._done)

    def _run(self, label: str, work: Callable[[TaskContext], Any], on_done) -> None:
        self.services.runner.run(
            label, work, on_done=on_done, on_error=self._failed(label), show_progress=True
        )

    def _failed(self, label: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            self.banner.show_error(f"{label} failed: {error}")
            self.finished.emit(f"failed: {error}")

        return failed

    def _done(self, message: str, warnings: Sequence[str] = ()) -> None:
        if warnings:
            self.banner.show_error(message + " " + " ".join(warnings))
        else:
            self.banner.show_info(message)
        self.finished.emit(message)
