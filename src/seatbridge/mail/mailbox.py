"""The demo's mailbox: each e-mail becomes an .eml file that the /mailbox page can show."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from seatbridge.config import Settings
from seatbridge.mail.transport import OutgoingMail, TemporaryFailure, build_message

FILE_NAME = re.compile(r"^message-\d{8,}\.eml$")


def mailbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "mailbox"


@dataclass(frozen=True, slots=True)
class MailboxEntry:
    name: str
    recipient: str
    subject: str
    date: dt.datetime | None


class MailboxTransport:
    """Writes each message as <folder>/message-<outbox id>.eml (a resend overwrites its file)."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, mail: OutgoingMail) -> None:
        data = bytes(build_message(mail, self.sender))
        target = self.folder / f"message-{mail.outbox_id:08d}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Write then rename, so the page never reads half a message.
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except OSError as error:
            raise TemporaryFailure(reason=f"{type(error).__name__}: {error}") from error

    def list_messages(self) -> list[MailboxEntry]:
        """Newest first."""
        if not self.folder.is_dir():
            return []
        entries = []
        for path in sorted(self.folder.glob("message-*.eml"), reverse=True):
            message = self.read(path.name)
            if message is None:
                continue
            date_header = message["Date"]
            entries.append(
                MailboxEntry(
                    name=path.name,
                    recipient=str(message["To"] or ""),
                    subject=str(message["Subject"] or ""),
                    date=parsedate_to_datetime(str(date_header)) if date_header else None,
                )
            )
        return entries

    def read(self, name: str) -> EmailMessage | None:
        """The message stored under `name`, or None (names outside the folder are refused)."""
        if not FILE_NAME.match(name):
            return None
        path = self.folder / name
        if not path.is_file():
            return None
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
        return message if isinstance(message, EmailMessage) else None
