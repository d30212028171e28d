"""A delivery sends all its digests over one SMTP connection, and never one digest twice.

A server that dropped the connection between two digests gets a new one before the next
digest is sent; a digest that failed is not sent again in the same delivery.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from reminder_world import ANA, LEE, OFFICER, TUESDAY_9AM, build_practice, mailer, setup
from smtpserver import HOST, free_port

from readiness.db import Database
from readiness.reminders.digest import Digest
from readiness.reminders.mailer import DeliveryError
from readiness.reminders.run import run_pass

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


class Server:
    """An SMTP server that notes the client connection (peer address) of each message."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[tuple[str, ...], tuple[str, int]]] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append((tuple(envelope.rcpt_tos), tuple(session.peer)))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def connections(self) -> int:
        """How many client connections carried the messages received."""
        with self.lock:
            return len({peer for _, peer in self.received})


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _digest(to: str) -> Digest:
    return Digest(to, "Readiness: 1 item needs action", f"a line for {to}\n")


def test_one_pass_sends_every_digest_over_one_connection(db: Database, server: Server) -> None:
    build_practice(db)
    report = run_pass(db, setup(), mailer(server.port), TUESDAY_9AM)
    assert report.delivery is not None and report.delivery.messages == 3
    assert sorted(to for (to,), _ in server.received) == sorted([ANA, LEE, OFFICER])
    assert server.connections() == 1


def test_a_connection_the_server_dropped_is_opened_again_before_sending(server: Server) -> None:
    send = mailer(server.port)
    send.send(_digest(ANA), NOW)
    server.stop()  # the server goes away with the connection open
    server.start()
    send.send(_digest(LEE), NOW)
    send.close()
    assert [to for (to,), _ in server.received] == [ANA, LEE]
    assert server.connections() == 2


def test_a_failed_digest_is_not_resent_and_the_next_one_goes_out(server: Server) -> None:
    send = mailer(server.port)
    server.stop()
    with pytest.raises(DeliveryError, match="Connection refused"):
        send.send(_digest(ANA), NOW)
    server.start()
    send.send(_digest(LEE), NOW)
    send.close()
    assert [to for (to,), _ in server.received] == [LEE]
