"""Notices never move the controls under the pointer."""

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton

SECTIONS = ("inventory", "orders", "likes_offers", "messages", "price_drops", "marketplace")


def test_a_notice_coming_and_going_moves_no_button(qtbot, window) -> None:
    for key in SECTIONS:
        window.show_section(key)
        section = window.sections[key]
        buttons = [b for b in section.findChildren(QAbstractButton) if b.isVisible()]
        assert buttons, key
        before = [b.mapTo(window, QPoint(0, 0)) for b in buttons]
        section.banner.show_info("Queued 3 item(s) for the marketplace. " * 6)  # a long one
        qtbot.wait(10)
        assert [b.mapTo(window, QPoint(0, 0)) for b in buttons] == before, key
        section.banner.show_error("The marketplace refused the price.")
        section.banner.hide()
        qtbot.wait(10)
        assert [b.mapTo(window, QPoint(0, 0)) for b in buttons] == before, key
