"""What the `portal auth` commands share: asking for the e-mail address."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chathq_cli.cli.prompts import Prompter


def ask_email(prompts: Prompter, email: str | None) -> str:
    from chathq_cli.inputs.names import check_email

    return check_email(email or prompts.text("Email", flag="--email"), "--email")
