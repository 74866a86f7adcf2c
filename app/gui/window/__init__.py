"""The main window, its menus and keyboard map, and the self-test."""
