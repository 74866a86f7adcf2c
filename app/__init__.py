"""Glossa: a desktop workbench for annotating news articles."""

__version__ = "0.1.0"

APP_NAME = "Glossa"
"""The name menus, the window and ``appdirs`` folders use."""

ORGANISATION = "Glossa"
"""Qt's organisation name: with APP_NAME it places QSettings at ``~/.config/Glossa/Glossa.conf``,
where the window has always kept its settings; changing it would lose them."""

DESKTOP_ID = "org.glossa.Glossa"
"""The reverse-DNS id of the desktop entry, its icons and AppStream metainfo; the window says
it is this entry's (Wayland's app id), so docks group and badge it with the menu's icon."""
