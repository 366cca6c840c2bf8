"""Sending email through the school's own mail server (SMTP), with settings from the environment.

The IT person sets ``PAP_SMTP_URL`` the way they set the database URL, so no password is ever
typed into, stored by or shown on a page:

* ``smtp://user:password@mail.school.org:587``: STARTTLS (the usual submission port);
* ``smtps://user:password@mail.school.org:465``: TLS from the first byte;
* ``smtp://relay.school.lan:25?security=none``: a plain relay inside the school network.

Options in the query: ``security=starttls|ssl|none`` and ``from=office@school.org`` (or
``PAP_SMTP_FROM``). A user name and password are only ever sent over TLS, unless the server is on
this machine (a relay on loopback); otherwise the settings are refused with a plain reason.
Certificates are checked (Python's default context). What the page shows of the settings
(:meth:`SmtpSettings.describe`) never includes the password, and reasons for a failed message have
the password taken out should a server ever echo it.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from widgets.limits import MAX_EMAIL_CHARS, SMTP_TIMEOUT_SECONDS
from widgets.ui import UserFacingError

SMTP_URL_ENV = "PAP_SMTP_URL"
SMTP_FROM_ENV = "PAP_SMTP_FROM"

Security = Literal["starttls", "ssl", "none"]

# A deliberately plain check: one @, no spaces or angle brackets, a dot in the domain. The mail
# server has the last word; this only keeps obvious typos ("name@school", "a b@c.org") out.
_EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")


def valid_email(text: str) -> bool:
    """Whether ``text`` looks like one email address (not a list, not a name and address)."""
    t = (text or "").strip()
    return 0 < len(t) <= MAX_EMAIL_CHARS and bool(_EMAIL_RE.match(t))


class MailSettingsError(UserFacingError):
    """The mail settings are missing or wrong; the message names the setting, never a password."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)

    def describe(self) -> str:
        """The settings in words for the office (no password)."""
        how = {"starttls": "STARTTLS", "ssl": "TLS", "none": "no encryption"}[self.security]
        who = f", signed in as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({how}{who}), sending as {self.sender}"


def _is_local(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The mail settings from the environment; None when ``PAP_SMTP_URL`` is not set.

    Raises :class:`MailSettingsError` with the fix when the URL is set but cannot be used.
    """
    env = os.environ if environ is None else environ
    url = (env.get(SMTP_URL_ENV) or "").strip()
    if not url:
        return None

    def bad(what: str) -> MailSettingsError:
        return MailSettingsError(
            f"The mail settings ({SMTP_URL_ENV}) cannot be used: {what}. Ask your IT contact to "
            "write it like smtp://user:password@mail.school.org:587."
        )

    try:
        parts = urlsplit(url)
        port_given = parts.port
    except ValueError:
        raise bad("the port is not a number") from None
    if parts.scheme not in {"smtp", "smtps"}:
        raise bad("it must start with smtp:// or smtps://")
    host = parts.hostname or ""
    if not host:
        raise bad("it names no mail server")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"security", "from"})
    if unknown:
        raise bad(f"it has options the kit does not know ({', '.join(unknown)})")
    security = query.get("security") or ("ssl" if parts.scheme == "smtps" else "starttls")
    if security not in {"starttls", "ssl", "none"}:
        raise bad("security must be starttls, ssl or none")
    port = port_given or {"ssl": 465, "starttls": 587, "none": 25}[security]
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if (user or password) and security == "none" and not _is_local(host):
        raise bad(
            "it would send the password without encryption; use security=starttls or smtps://"
        )
    sender = (query.get("from") or env.get(SMTP_FROM_ENV) or "").strip()
    if not sender and valid_email(user):
        sender = user
    if not valid_email(sender):
        raise bad(f"no sender address; set {SMTP_FROM_ENV}=office@your-school.org or add ?from=")
    return SmtpSettings(host, port, security, sender, user, password)  # type: ignore[arg-type]


def mail_error_words(exc: BaseException, settings: SmtpSettings | None = None) -> str:
    """A failed message's reason in plain words (the password taken out, if it ever appears)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [f"{c} {m.decode('utf-8', 'replace') if isinstance(m, bytes) else m}"
                 for c, m in exc.recipients.values()]
        words = "the mail server refused the address (" + "; ".join(codes)[:200] + ")"
    elif isinstance(exc, smtplib.SMTPSenderRefused):
        words = f"the mail server refused the sender address ({exc.smtp_code})"
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        words = "the mail server did not accept the user name and password (tell your IT contact)"
    elif isinstance(exc, smtplib.SMTPNotSupportedError) and "SMTPUTF8" in str(exc):
        words = ("the address has letters beyond A-Z and the mail server does not accept such "
                 "addresses (SMTPUTF8); check the address or send a letter")
    elif isinstance(exc, smtplib.SMTPNotSupportedError):
        words = "the mail server does not offer STARTTLS; ask your IT contact for the right settings"
    elif isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else (
            str(exc.smtp_error))
        words = f"the mail server answered {exc.smtp_code} {msg}"[:300]
    elif isinstance(exc, ssl.SSLError | ssl.CertificateError):
        words = "a secure connection to the mail server could not be made (certificate or TLS)"
    elif isinstance(exc, TimeoutError | socket.timeout):
        words = f"the mail server did not answer within {SMTP_TIMEOUT_SECONDS} seconds"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        words = "the mail server closed the connection"
    elif isinstance(exc, ConnectionRefusedError):
        words = "the mail server refused the connection (is the address and port right?)"
    elif isinstance(exc, socket.gaierror):
        words = "the mail server's name could not be found"
    elif isinstance(exc, OSError):
        words = f"the mail server could not be reached ({exc.strerror or type(exc).__name__})"
    else:
        words = f"the message could not be sent ({type(exc).__name__})"
    if settings is not None and settings.password:
        words = words.replace(settings.password, "***")
    return words


class Transport:
    """One open connection to the mail server (what :func:`connect` yields)."""

    def __init__(self, smtp: smtplib.SMTP) -> None:
        self._smtp = smtp

    def send(self, msg: EmailMessage) -> None:
        """Send one message; raises the server's refusal (see :func:`mail_error_words`)."""
        refused = self._smtp.send_message(msg)
        if refused:  # some recipients refused: for one recipient this is a failure
            raise smtplib.SMTPRecipientsRefused(refused)


Connector = Callable[[SmtpSettings], AbstractContextManager[Transport]]


@contextmanager
def connect(settings: SmtpSettings) -> Iterator[Transport]:
    """An open, signed-in connection to the school's mail server, closed afterwards."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, settings.password)
        yield Transport(smtp)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
