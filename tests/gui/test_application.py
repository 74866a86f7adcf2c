"""The QApplication carries the names of the desktop entry, and the settings stay put."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.gui.application import ICON, glossa_application
from app.gui.team.database_dialog import app_settings


@pytest.fixture
def named(qapp: QApplication) -> Iterator[QApplication]:
    """``glossa_application()`` on the test's QApplication; its names put back after."""
    before = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName())
    yield glossa_application()
    qapp.setApplicationName(before[0])
    qapp.setOrganizationName(before[1])
    qapp.setDesktopFileName(before[2])


def test_the_application_is_named_as_its_desktop_entry(named: QApplication) -> None:
    assert named is QApplication.instance()
    assert named.applicationName() == "Glossa"
    assert named.organizationName() == "Glossa"
    assert named.desktopFileName() == "org.glossa.Glossa"


def test_the_window_icon_is_the_entrys(named: QApplication) -> None:
    assert ICON.name == "org.glossa.Glossa.svg"
    assert ICON.is_file()
    assert not named.windowIcon().isNull()


def test_settings_stay_in_the_file_they_were_always_in(named: QApplication) -> None:
    # what the window stored before the names were set is read from the same file now,
    # whether a setting is opened with the names given or with the application's
    assert QSettings().fileName() == app_settings().fileName()
    assert app_settings().fileName().endswith("/Glossa/Glossa.conf")
