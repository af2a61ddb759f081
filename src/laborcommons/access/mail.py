"""E-mail through the node's SMTP server, when one is configured; none is needed to run.

``send_mail`` answers whether it sent: without ``smtp_host`` the caller shows the link to
the inviter or the admin instead.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from laborcommons.core.settings import Settings


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> bool:
    if not settings.smtp_host:
        return False
    message = EmailMessage()
    message["From"] = settings.smtp_from or f"laborcommons@{settings.smtp_host}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)
    return True
