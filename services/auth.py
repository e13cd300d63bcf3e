"""Sign-in (bcrypt against auth.users, as Supabase stores it), lockout, sessions, sign-out, SSO mapping and
the operator's tenant switch. No Streamlit here: sections/login.py is the UI on top of these functions.

Before sign-in there is no tenant, so the lookups go through SECURITY DEFINER functions (migrations 0002, 0012)
inside app_scope(); everything after sign-in runs in tenant_scope() of the user's home distributor."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import bcrypt
from psycopg import errors as pg_errors
from sqlalchemy import Connection, Row
from sqlalchemy.exc import DBAPIError

from core.config import get_settings
from core.db import app_scope, tenant_scope
from core.filters import Period
from queries import auth as q
from services import audit
from services.auth_model import SWITCH_TENANT, User

# Checked against when the email is unknown, so an unknown email costs as much time as a wrong password
# (no user enumeration by timing). Cost 10, as Supabase hashes.
_DUMMY_HASH = b"$2b$10$DAD3X5hN/mwIPCeJzSaGOu70KOPRseHeHWmvv1CDcCYm0N6Mak85e"
# The platform log shows at most this many rows for a period (an attack is visible long before that).
PLATFORM_LOG_ROWS = 500


class SignInError(Exception):
    """Sign-in refused; str(error) is the message to show."""


class InvalidCredentials(SignInError):
    def __init__(self) -> None:
        super().__init__("Wrong email or password.")


class AccountInactive(SignInError):
    def __init__(self) -> None:
        super().__init__("This account is deactivated. Ask an administrator of your distributor.")


class AccountLocked(SignInError):
    """Sign-in paused: for this device ('device': its own failures) or, briefly, for the account everywhere
    ('account': the backoff after repeated failures from anywhere)."""

    def __init__(self, until: datetime, scope: str = "device") -> None:
        self.until, self.scope = until, scope
        seconds = max(1, math.ceil((until - datetime.now(UTC)).total_seconds()))
        if scope == "account":
            super().__init__(f"Too many failed attempts for this account: wait {seconds} seconds and try again.")
        else:
            minutes = max(1, math.ceil(seconds / 60))
            super().__init__(f"Too many failed attempts from this device: sign-in is locked here. "
                             f"Try again in {minutes} minutes.")


class NotProvisioned(SignInError):
    def __init__(self) -> None:
        super().__init__("Your identity is not linked to an active Ordersight user. Ask an administrator.")


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the user, and the session token whose hash the user_sessions row keeps."""

    user: User
    token: str


@dataclass(frozen=True)
class Distributor:
    id: str
    name: str
    timezone: str
    currency: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_matches(password: str, encrypted: str | None) -> bool:
    """True when `password` matches the bcrypt hash ($2a$ / $2b$ / $2y$); False for a missing or bad hash."""
    # bcrypt only ever reads the first 72 bytes; bcrypt 5 refuses longer input instead of truncating
    candidate = password.encode()[:72]
    try:
        return bcrypt.checkpw(candidate, (encrypted or _DUMMY_HASH.decode()).encode()) and bool(encrypted)
    except ValueError:
        return False


def sign_in(email: str, password: str, *, user_agent: str | None = None, client: str | None = None) -> SignedIn:
    """Returns the signed-in user and a new session; raises a SignInError subclass with the message to show.
    `client` is the caller's IP (services.web): the throttle counts failures per client and per account (migration
    0007). Every outcome is counted and, for a known user, written to security_audit_log.

    Until the password matches, the app learns only the email's bcrypt hash, and only when the throttle lets the
    attempt through; who the user is comes from auth_accept, which logs the sign-in as it answers (0012)."""
    email = normalise_email(email)
    if not email or not password:
        raise InvalidCredentials()
    with app_scope() as conn:
        throttled = q.throttle(conn, email=email, client=client)
        if throttled:  # the password is not even checked, nor its hash read
            q.record_attempt(conn, email=email, outcome="locked", client=client,
                             details={"locked_until": throttled.until.isoformat(), "scope": throttled.scope})
        encrypted = None if throttled else q.password_hash(conn, email=email)
    if throttled:
        raise AccountLocked(throttled.until, throttled.scope)
    # an unknown email is checked against a dummy hash: it costs as much time as a wrong password
    if not password_matches(password, encrypted):
        with app_scope() as conn:
            q.record_attempt(conn, email=email, outcome="failed", client=client,
                             details={"reason": "unknown_email" if encrypted is None else "bad_password"})
        raise InvalidCredentials()
    with app_scope() as conn:
        account = q.accept(conn, email=email, method="password", client=client)
    if account is None:  # the user was deleted since the hash was read
        raise InvalidCredentials()
    # only someone who knows the password learns that the account is deactivated
    if not account.is_active:
        raise AccountInactive()
    return _open_session(account, user_agent)


def sign_in_sso(email: str, *, user_agent: str | None = None) -> SignedIn:
    """Maps an identity the OIDC provider vouched for to an active user_profiles row; raises NotProvisioned
    when there is none. Logged as 'sso_login' (or 'login_failed' for an inactive user)."""
    email = normalise_email(email)
    account = None
    if email:
        with app_scope() as conn:
            account = q.accept(conn, email=email, method="sso", client=None)
    if account is None or not account.is_active:
        raise NotProvisioned()
    return _open_session(account, user_agent)


@dataclass(frozen=True)
class Resolved:
    """What a session token stands for on this run: the user (None when signed out) and, when the session
    just ended, why ('expired', 'revoked', 'ended')."""

    user: User | None
    ended: str | None = None


def resolve_session(token: str | None) -> Resolved:
    """Returns the user behind a session token, with role and permissions as the database has them now.
    One indexed call per script run: it also closes the session when it went idle, passed its absolute expiry
    or its user was deactivated (logged), and marks it seen at most once a minute."""
    if not token:
        return Resolved(None)
    idle_s = get_settings().session_idle_hours * 3600
    with app_scope() as conn:
        row = q.resolve_session(conn, token_hash=token_hash(token), idle_s=idle_s)
    if row is None:
        return Resolved(None, "ended")
    if row.status != "ok":
        return Resolved(None, row.status)
    return Resolved(User(id=str(row.user_id), email=row.email, full_name=row.full_name, role=row.role,
                         distributor_id=str(row.distributor_id), distributor_name=row.distributor_name,
                         timezone=row.timezone, currency=row.currency, permissions=frozenset(row.permissions),
                         home_distributor_id=str(row.distributor_id), session_id=row.session_id))


def sign_out(token: str | None) -> None:
    """Ends the token's session ('logout') and logs it in the user's home distributor; an unknown or
    already closed session is left alone."""
    user = resolve_session(token).user
    if user is not None:
        with tenant_scope(user.home_distributor_id, user.id) as conn:
            _end(conn, user, reason="logout", event="logout")


def list_distributors(user: User) -> list[Distributor]:
    """Returns every distributor, for operators; raises PermissionError for anyone else."""
    if not user.can(SWITCH_TENANT):
        raise PermissionError("Only platform operators can switch distributor.")
    with tenant_scope(user.home_distributor_id, user.id) as conn:
        rows = q.operator_distributors(conn)
    return [Distributor(str(r.id), r.name, r.timezone, r.currency) for r in rows]


def switch_tenant(user: User, distributor_id: str) -> User:
    """Returns the operator acting for `distributor_id`, after writing 'tenant_switch' to the old and the new
    distributor's security_audit_log. Raises PermissionError for non-operators (checked here and again by
    the database), LookupError for an unknown distributor."""
    if not user.can(SWITCH_TENANT):
        raise PermissionError("Only platform operators can switch distributor.")
    if str(distributor_id) == user.distributor_id:
        return user
    try:
        with tenant_scope(user.home_distributor_id, user.id) as conn:
            target = q.switch_tenant(conn, from_id=user.distributor_id, to_id=str(distributor_id))
    except DBAPIError as exc:
        if isinstance(exc.orig, pg_errors.InsufficientPrivilege):
            raise PermissionError("Only platform operators can switch distributor.") from exc
        if isinstance(exc.orig, pg_errors.NoDataFound):
            raise LookupError(f"unknown distributor {distributor_id}") from exc
        raise
    return user.acting_for(str(target.id), target.name, target.timezone, target.currency)


def platform_sign_in_failures(user: User, period: Period) -> list[Row]:
    """Returns the failed sign-ins and lockouts for emails that are no user's (migration 0012's platform log) in
    `period` (local days of the user's time zone), newest first, at most PLATFORM_LOG_ROWS. Operators only:
    PermissionError for anyone else (checked here and again by the database, which reads the user from the
    session)."""
    refused = PermissionError("Only platform operators can read the platform security log.")
    if not user.can(SWITCH_TENANT):
        raise refused
    t0, t1 = period.bounds(user.timezone)
    try:
        with tenant_scope(user.home_distributor_id, user.id) as conn:
            return q.platform_security_events(conn, t0=t0, t1=t1, limit=PLATFORM_LOG_ROWS)
    except DBAPIError as exc:
        if isinstance(exc.orig, pg_errors.InsufficientPrivilege):
            raise refused from exc
        raise


def _open_session(account: Row, user_agent: str | None) -> SignedIn:
    """Opens the user_sessions row of a sign-in auth_accept has logged, and loads the User, in one transaction."""
    token = secrets.token_urlsafe(32)
    distributor_id, user_id = str(account.distributor_id), str(account.user_id)
    settings = get_settings()
    with tenant_scope(distributor_id, user_id) as conn:
        # sessions whose users never came back are closed here, not left open forever
        q.close_stale_sessions(conn, idle_s=settings.session_idle_hours * 3600)
        session_id = q.start_session(conn, distributor_id=distributor_id, user_id=user_id,
                                     token_hash=token_hash(token), user_agent=user_agent,
                                     absolute_s=settings.session_absolute_hours * 3600)
        user = load_user(conn, distributor_id, user_id, session_id)
    return SignedIn(user, token)


def load_user(conn: Connection, distributor_id: str, user_id: str, session_id: int | None = None) -> User:
    """Returns the User (profile, distributor, role permissions) as read in the caller's tenant scope."""
    row = q.user_context(conn, distributor_id=distributor_id, user_id=user_id)
    if row is None:
        raise LookupError(f"no user {user_id} in distributor {distributor_id}")
    return User(id=str(row.id), email=row.email, full_name=row.full_name, role=row.role,
                distributor_id=str(row.distributor_id), distributor_name=row.distributor_name,
                timezone=row.timezone, currency=row.currency, permissions=frozenset(row.permissions),
                home_distributor_id=str(row.distributor_id), session_id=session_id)


def _end(conn: Connection, user: User, *, reason: str, event: str) -> None:
    if q.end_session(conn, distributor_id=user.home_distributor_id, session_id=user.session_id, reason=reason):
        audit.record_security(conn, distributor_id=user.home_distributor_id, user_id=user.id, event=event,
                              details={"session_id": user.session_id})
