"""Password hashes: Argon2id (argon2-cffi's tuned defaults), never the password itself.

Why a module of its own: the hasher's parameters live in one place, and a hash made with older
parameters is upgraded at the next successful sign-in (:func:`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 256   # Argon2 takes any length; a cap keeps a hostile form from costing memory
_HASHER = PasswordHasher()
# Verified when the account does not exist, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash("云绩效-no-such-account")


class WeakPassword(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def check_strength(password: str) -> None:
    """Refuse a password too short, too long, or all of one character."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少 {MIN_LENGTH} 位", f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码最多 {MAX_LENGTH} 位", f"a password has at most {MAX_LENGTH} characters")
    if len(set(password)) < 3:
        raise WeakPassword("密码过于简单（字符种类太少）", "the password is too simple (too few distinct characters)")


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still costs one verification."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
