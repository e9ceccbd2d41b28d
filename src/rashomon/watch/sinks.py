"""Where alerts go: a JSONL log, a webhook, e-mail. The Atom feed and the alerts page are
served by the web app from the store (``rashomon serve``).

Webhook shapes (``--webhook-shape``): ``slack`` (``{"text": ...}``, also what Mattermost
and Rocket.Chat incoming webhooks take), ``discord`` (``{"content": ...}``) and ``json``
(the whole alert). A sink that fails keeps its alerts undelivered; they are sent again
on the next cycle, so an alert reaches a webhook at least once.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import httpx

from rashomon.watch.alerts import Alert, to_json

SHAPES = ("slack", "discord", "json")


class Sink(Protocol):
    name: str

    def send(self, alerts: Sequence[Alert]) -> None: ...


@dataclass(slots=True)
class JsonlSink:
    path: Path
    base_url: str = ""
    name: str = "jsonl"

    def send(self, alerts: Sequence[Alert]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            for a in alerts:
                fh.write(json.dumps(to_json(a, self.base_url), ensure_ascii=False, default=str) + "\n")


@dataclass(slots=True)
class WebhookSink:
    url: str
    shape: str = "slack"
    base_url: str = ""
    timeout: float = 10.0
    transport: httpx.BaseTransport | None = None
    name: str = "webhook"

    def payload(self, a: Alert) -> dict[str, object]:
        link = f"{self.base_url}/stories/{a.story_id}" if self.base_url else a.story_id
        text = f"[{a.kind}] {a.title} {link}"
        if self.shape == "discord":
            return {"content": text[:2000]}
        if self.shape == "json":
            return to_json(a, self.base_url)
        return {"text": text}

    def send(self, alerts: Sequence[Alert]) -> None:
        with httpx.Client(timeout=self.timeout, transport=self.transport, trust_env=False) as client:
            for a in alerts:
                r = client.post(self.url, json=self.payload(a))
                r.raise_for_status()


@dataclass(slots=True)
class SmtpSink:
    host: str
    sender: str
    to: Sequence[str]
    port: int = 25
    base_url: str = ""
    name: str = "smtp"

    def send(self, alerts: Sequence[Alert]) -> None:
        if not alerts:
            return
        msg = EmailMessage()
        msg["Subject"] = f"Rashomon: {len(alerts)} alert(s)" if len(alerts) > 1 else f"Rashomon: {alerts[0].title[:150]}"
        msg["From"], msg["To"] = self.sender, ", ".join(self.to)
        msg.set_content("\n\n".join(f"[{a.kind}] {a.title}\n{self.base_url}/stories/{a.story_id}" for a in alerts))
        with smtplib.SMTP(self.host, self.port, timeout=20) as smtp:
            smtp.send_message(msg)
