"""The demo's mailbox (Settings.demo only): the e-mails the MailboxTransport wrote."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from fastapi import APIRouter, HTTPException
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.web.pages import render
from seatbridge.web.state import web_state

router = APIRouter()

URL = re.compile(r"https?://[^\s<>\"']+")


def _require_demo(request: Request) -> None:
    if not web_state(request).settings.demo:
        raise HTTPException(status_code=404)


def linkify(text: str) -> Markup:
    """Escape a plain-text body and make its links clickable."""
    parts: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@router.get("/mailbox")
def mailbox(request: Request) -> Response:
    _require_demo(request)
    messages = web_state(request).mailbox.list_messages()
    return render(request, "mailbox/list.html", {"messages": messages})


@router.get("/mailbox/{name}")
def mailbox_message(request: Request, name: str) -> Response:
    _require_demo(request)
    message = web_state(request).mailbox.read(name)
    if message is None:
        raise HTTPException(status_code=404)
    return render(
        request,
        "mailbox/message.html",
        {
            "name": name,
            "headers": {key: str(message[key] or "") for key in ("From", "To", "Subject")},
            "date": _sent_at(message),
            "body": linkify(_text_part(message)),
        },
    )


def _sent_at(message: EmailMessage) -> dt.datetime | None:
    """The Date header as an instant (shown in the installation's time zone and the page's
    language, never as the raw RFC 5322 text)."""
    try:
        moment = parsedate_to_datetime(str(message["Date"] or ""))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if isinstance(part, EmailMessage) else ""
