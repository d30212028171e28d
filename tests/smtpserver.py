"""A real SMTP server for the reminder tests: aiosmtpd on a free loopback port.

``SmtpServer`` collects every message it accepts; ``stop()`` and ``start()`` again
on the same port simulate the mail server going down and coming back. Use the
``smtp_server`` fixture (import it into the test module) or the class directly.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One accepted message: envelope sender, recipients and the parsed e-mail."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The Subject header."""
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        """The plain-text body, with line ends as "\\n"."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content().replace("\r\n", "\n") if part is not None else ""


class _Collector:
    """The aiosmtpd handler: keeps each message."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        parsed = message_from_bytes(data, policy=policy.default)
        received = Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
        with self.server.lock:
            self.server.messages.append(received)
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """An SMTP server on HOST:port that can be stopped and started again."""

    def __init__(self, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        """Listen (again) on the same port."""
        if self._controller is None:
            self._controller = Controller(_Collector(self), hostname=self.host, port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until start()."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        """True while listening."""
        return self._controller is not None

    def to(self, recipient: str) -> list[Received]:
        """The messages delivered to one recipient."""
        with self.lock:
            return [m for m in self.messages if recipient in m.recipients]

    def recipients(self) -> list[str]:
        """Every envelope recipient, once per message, in arrival order."""
        with self.lock:
            return [r for m in self.messages for r in m.recipients]

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self.lock:
            self.messages.clear()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server on a free loopback port, stopped after the test."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()
