"""One local SMTP server for the tests that send real email (aiosmtpd, in the [test] extras).

Used by the unit tests of reminders (``tests/unit/test_reminders_smtp.py``), the browser tests
whose Voila server sends through it (``PAP_SMTP_URL``), and the ``smtp_inbox`` fixture in
``tests/conftest.py``: every message that arrives is kept, parsed, for the test to read.
"""

from __future__ import annotations

import email
import email.policy
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from support.voila import ROOT, VoilaServer, free_port


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses the addresses it is told to."""

    def __init__(self, refuse: Iterable[str] = ()) -> None:
        self.refuse = set(refuse)
        self.port = 0
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    @property
    def url(self) -> str:
        """``PAP_SMTP_URL`` for a kit process sending here (no TLS on loopback)."""
        return f"smtp://127.0.0.1:{self.port}?security=none"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages delivered to one address."""
        return [m for rcpts, m in self.messages if address in rcpts]


@contextmanager
def running_inbox(refuse: Iterable[str] = (), authenticator: Callable | None = None
                  ) -> Iterator[Inbox]:
    """A started aiosmtpd server on a free loopback port; stopped on exit."""
    from aiosmtpd.controller import Controller

    handler = Inbox(refuse)
    handler.port = free_port()
    extra = {"authenticator": authenticator, "auth_require_tls": False} if authenticator else {}
    ctl = Controller(handler, hostname="127.0.0.1", port=handler.port, enable_SMTPUTF8=True,
                     **extra)
    ctl.start()
    try:
        yield handler
    finally:
        ctl.stop()


@contextmanager
def serving_with_mail(tmp_path_factory, inbox: Inbox, notebooks: Iterable[str], name: str = "mail"
                ) -> Iterator[tuple[str, Path]]:
    """(base URL, data dir) of a Voila serving only ``notebooks`` (copied from modules/), whose
    mail goes to ``inbox``: the evening pages that send reminders, as a school runs them."""
    notebooks = list(notebooks)
    nb_dir = tmp_path_factory.mktemp(f"{name}-notebooks")
    for nb in notebooks:
        shutil.copy(ROOT / "modules" / nb, nb_dir / nb)
    data = tmp_path_factory.mktemp(f"{name}-data")
    server = VoilaServer(nb_dir, data, extra_env={"PAP_SMTP_URL": inbox.url,
                                                  "PAP_SMTP_FROM": "office@school.example"})
    try:
        server.wait_ready()
        server.wait_pools_filled(notebooks, 240)
        yield server.base, data
    finally:
        server.stop()
