"""New passwords: the rule the server applies, checked before anything is sent, and a rough
strength rating for people choosing one at a terminal."""

from __future__ import annotations

PASSWORD_MIN = 10
PASSWORD_MAX = 1024


def password_problem(new: str, current: str | None = None) -> str | None:
    """Why a new password is refused (the server's rule: 10-1024 characters), or None."""
    if len(new) < PASSWORD_MIN:
        return f"the new password must be at least {PASSWORD_MIN} characters"
    if len(new) > PASSWORD_MAX:
        return f"the new password must be at most {PASSWORD_MAX} characters"
    if current is not None and new == current:
        return "the new password is the same as the current one"
    return None


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
