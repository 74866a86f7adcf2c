"""A database URL's password never shows in a message, whatever characters it holds."""

from __future__ import annotations

import string

from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from app.services.live import without_password
from app.store.database import as_url, mask_password

users = st.text(string.ascii_letters + string.digits + "._-", min_size=1, max_size=12)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5})?", fullmatch=True)
names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)
ports = st.none() | st.integers(1, 65535)
passwords = st.text(min_size=1, max_size=24)
"""Any characters at all, a raw ``@`` or ``:`` or ``/`` among them, as people type them."""
typed = st.text(
    st.characters(blacklist_characters="/?#%", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=24,
)
"""What a URL can carry unquoted in its password, apart from ``@`` (which is the point)."""


def url(user: str, password: str, host: str, port: int | None, name: str) -> str:
    where = f"{host}:{port}" if port is not None else host
    return f"postgresql+psycopg://{user}:{password}@{where}/{name}"


@given(users, passwords, hosts, ports, names)
def test_a_masked_url_never_holds_the_password(
    user: str, password: str, host: str, port: int | None, name: str
) -> None:
    target = url(user, password, host, port, name)
    assume(password not in target.replace(f":{password}@", ":@", 1))  # only in its place

    message = f"cannot open the database {mask_password(target)}: connection refused"

    assert password not in message
    assert message.startswith(f"cannot open the database postgresql+psycopg://{user}:***@")
    assert f"@{host}" in message


@given(users, passwords, hosts, ports, names)
def test_a_url_the_window_shows_or_remembers_never_holds_the_password(
    user: str, password: str, host: str, port: int | None, name: str
) -> None:
    target = url(user, password, host, port, name)
    assume(password not in target.replace(f":{password}@", ":@", 1))

    shown = without_password(target)

    assert password not in shown
    assert shown == target.replace(f":{password}@", "@", 1)


def test_a_password_with_a_raw_at_sign_is_masked_to_the_last_one() -> None:
    target = "postgresql+psycopg://u:p@ss@host/db"

    assert mask_password(target) == "postgresql+psycopg://u:***@host/db"
    assert mask_password(f"glossa --db {target} failed") == (
        "glossa --db postgresql+psycopg://u:***@host/db failed"
    )


@given(users, typed, hosts, ports, names)
def test_the_password_and_host_are_read_as_typed_and_never_shown(
    user: str, password: str, host: str, port: int | None, name: str
) -> None:
    parsed = make_url(as_url(url(user, password, host, port, name)))

    assert (parsed.username, parsed.password, parsed.host) == (user, password, host)
    assert (parsed.port, parsed.database) == (port, name)
    assume(password not in f"{user} {host} {port} {name} postgresql+psycopg ***")
    assert password not in parsed.render_as_string(hide_password=True)


def test_paths_and_urls_without_a_password_are_left_alone() -> None:
    for target in ("sqlite:////tmp/a@b.db", "postgresql+psycopg://host/db", "postgresql://u@h/d"):
        assert as_url(target) == target
        assert mask_password(target) == target
