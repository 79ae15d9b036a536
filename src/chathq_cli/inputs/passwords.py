"""New passwords: the rule the server applies, checked before anything is sent, and a rough
strength rating for people choosing one at a terminal. Shared by `portal me password change`
and `portal auth reset-password`."""

from __future__ import annotations

from chathq_cli import errors
from chathq_cli.api import rules

PASSWORD_MIN = rules.PASSWORD_MIN
PASSWORD_MAX = rules.PASSWORD_MAX


def password_problem(new: str, current: str | None = None) -> str | None:
    """Why a new password is refused, or None: the server's 10-1024 characters, and no control
    character (NUL, ESC, a tab, a zero-width space...): a pasted escape sequence or a NUL cannot
    be typed again at sign-in, so such a password would lock its owner out."""
    from chathq_cli.api import rules

    if rules.has_control(new):
        return "the new password must not contain control characters"
    if len(new) < PASSWORD_MIN:
        return f"the new password must be at least {PASSWORD_MIN} characters"
    if len(new) > PASSWORD_MAX:
        return f"the new password must be at most {PASSWORD_MAX} characters"
    if current is not None and new == current:
        return "the new password is the same as the current one"
    return None


def check_new_password(new: str, param: str | None, current: str | None = None) -> str:
    """`new` if it is acceptable, else a UsageError naming `param`: the flag the password came
    through (`--password-stdin`), or None for an answer typed at a prompt."""
    problem = password_problem(new, current)
    if problem:
        raise errors.UsageError(f"{param}: {problem}" if param else problem, param=param)
    return new


def password_strength(password: str) -> tuple[str, str]:
    """A rough strength label and advice, for people choosing a password at a terminal."""
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    distinct = len(set(password))
    if len(password) >= 16 and distinct >= 8:
        return "strong", "long passwords are the hardest to guess"
    if len(password) >= 12 and kinds >= 3 and distinct >= 6:
        return "good", "a few more characters would make it stronger"
    return "weak", "use 16+ characters: several unrelated words are easy to remember"
