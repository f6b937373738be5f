"""OAuth 2.0 authorization code flow with PKCE for the studio and other native apps.

Token endpoint errors carry both RFC 6749's `error` member and the problem-details `code`,
so standard OAuth clients and this API's clients both read them.
"""

import math
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import update
from sqlmodel import Session, col, select

from marketplace.auth import StateDep
from marketplace.consent_page import consent_html
from marketplace.credentials import hash_token, issue_token, new_secret, password_matches
from marketplace.models import AuthCode, Seller, Token, utcnow
from marketplace.oauth_rules import (
    is_loopback_redirect,
    redirect_with,
    valid_challenge,
    verifier_matches,
)
from marketplace.problems import PROBLEM_MEDIA_TYPE, ProblemError, problem_response
from marketplace.schemas import TokenPair
from marketplace.state import ServerState, client_address

router = APIRouter(prefix="/oauth", tags=["oauth"])
SCOPE = "seller"
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}}
_REDIRECT = {"description": "Back to the app's loopback redirect URI with a code or an error"}


def _check_client(state: ServerState, client_id: str, redirect_uri: str) -> None:
    """Errors here are shown to the user, never redirected (RFC 6749 4.1.2.1)."""
    if client_id not in state.settings.oauth_clients:
        raise ProblemError(400, "invalid_client", "Unknown client_id.", error="invalid_client")
    if not is_loopback_redirect(redirect_uri):
        raise ProblemError(
            400,
            "invalid_redirect_uri",
            "redirect_uri must be http://127.0.0.1:PORT/... or http://[::1]:PORT/...",
            error="invalid_request",
        )


def _request_error(
    response_type: str, code_challenge: str, code_challenge_method: str
) -> str | None:
    if response_type != "code":
        return "unsupported_response_type"
    if code_challenge_method != "S256" or not valid_challenge(code_challenge):
        return "invalid_request"
    return None


@router.get(
    "/authorize",
    response_class=HTMLResponse,
    response_model=None,
    responses={200: _HTML, 303: _REDIRECT},
)
def authorize_page(
    state: StateDep,
    client_id: Annotated[str, Query(max_length=100)],
    redirect_uri: Annotated[str, Query(max_length=500)],
    code_challenge: Annotated[str, Query(max_length=200)] = "",
    code_challenge_method: Annotated[str, Query(max_length=10)] = "",
    response_type: Annotated[str, Query(max_length=20)] = "code",
    oauth_state: Annotated[str | None, Query(alias="state", max_length=500)] = None,
) -> HTMLResponse | RedirectResponse:
    _check_client(state, client_id, redirect_uri)
    error = _request_error(response_type, code_challenge, code_challenge_method)
    if error is not None:
        return RedirectResponse(
            redirect_with(redirect_uri, error=error, state=oauth_state), status_code=303
        )
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": code_challenge,
        "code_challenge_method": code_challenge_method,
        "state": oauth_state or "",
    }
    return HTMLResponse(consent_html(params, client_id))


@router.post(
    "/authorize",
    response_class=HTMLResponse,
    response_model=None,
    status_code=303,
    responses={303: _REDIRECT, 401: _HTML, 429: _HTML},
)
def authorize_decision(
    request: Request,
    state: StateDep,
    client_id: Annotated[str, Form(max_length=100)],
    redirect_uri: Annotated[str, Form(max_length=500)],
    code_challenge: Annotated[str, Form(max_length=200)],
    code_challenge_method: Annotated[str, Form(max_length=10)],
    decision: Annotated[str, Form(pattern="^(allow|deny)$")],
    seller: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    oauth_state: Annotated[str, Form(alias="state", max_length=500)] = "",
) -> HTMLResponse | RedirectResponse:
    _check_client(state, client_id, redirect_uri)
    back_state = oauth_state or None
    error = _request_error("code", code_challenge, code_challenge_method)
    if decision == "deny" or error is not None:
        target = redirect_with(redirect_uri, error=error or "access_denied", state=back_state)
        return RedirectResponse(target, status_code=303)
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": code_challenge,
        "code_challenge_method": code_challenge_method,
        "state": oauth_state,
    }
    # Password guessing is held back per seller (one account) and per address (spraying many
    # accounts); while either is locked out the password is not even checked.
    address = client_address(request)
    locked = [
        wait
        for wait in (
            state.seller_logins.retry_after(seller),
            state.address_logins.retry_after(address),
        )
        if wait is not None
    ]
    if locked:
        return _locked_page(params, client_id, max(locked))
    with state.db.read() as session:
        row = session.exec(select(Seller).where(Seller.name == seller)).first()
    if row is None or not password_matches(password, row.password_salt, row.password_hash):
        waits = (state.seller_logins.failed(seller), state.address_logins.failed(address))
        started = [wait for wait in waits if wait is not None]
        if started:
            return _locked_page(params, client_id, max(started))
        page = consent_html(params, client_id, error="Wrong seller name or password.")
        return HTMLResponse(page, status_code=401)
    # The address is not cleared: one good account must not buy more guesses at others.
    state.seller_logins.reset(seller)
    code = new_secret("code")
    with state.db.write() as session:
        assert row.id is not None
        session.add(
            AuthCode(
                code_hash=hash_token(code),
                client_id=client_id,
                redirect_uri=redirect_uri,
                seller_id=row.id,
                code_challenge=code_challenge,
                grant_id=secrets.token_hex(16),
                expires_at=utcnow() + timedelta(seconds=state.settings.auth_code_ttl_s),
            )
        )
    return RedirectResponse(redirect_with(redirect_uri, code=code, state=back_state), 303)


def _locked_page(params: dict[str, str], client_id: str, wait_s: float) -> HTMLResponse:
    seconds = max(1, math.ceil(wait_s))
    error = (
        f"Too many failed sign-ins. Wait {seconds} seconds, then try again "
        "with the right seller name and password."
    )
    return HTMLResponse(
        consent_html(params, client_id, error=error),
        status_code=429,
        headers={"Retry-After": str(seconds)},
    )


def _oauth_error(request: Request, error: str, description: str) -> JSONResponse:
    """RFC 6749's error answer (`error`, `error_description`) that is also a problem document
    like every other, with the request id a seller's report can be matched by."""
    return problem_response(
        request,
        400,
        error,
        description,
        headers={"Cache-Control": "no-store"},
        error=error,
        error_description=description,
    )


def _revoke_grant(session: Session, grant_id: str) -> None:
    session.execute(
        update(Token)
        .where(col(Token.grant_id) == grant_id, col(Token.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def _issue_pair(
    session: Session, state: ServerState, seller_id: int, client_id: str, grant_id: str
) -> TokenPair:
    ttl = state.settings
    access = issue_token(
        session,
        "access",
        seller_id=seller_id,
        ttl_s=ttl.access_token_ttl_s,
        client_id=client_id,
        grant_id=grant_id,
    )
    refresh = issue_token(
        session,
        "refresh",
        seller_id=seller_id,
        ttl_s=ttl.refresh_token_ttl_s,
        client_id=client_id,
        grant_id=grant_id,
    )
    return TokenPair(
        access_token=access,
        token_type="Bearer",
        expires_in=ttl.access_token_ttl_s,
        refresh_token=refresh,
        refresh_token_expires_in=ttl.refresh_token_ttl_s,
        scope=SCOPE,
    )


def _redeem_code(
    session: Session,
    state: ServerState,
    code: str,
    client_id: str,
    redirect_uri: str,
    verifier: str,
) -> TokenPair | str:
    """Tokens, or why not. A code is good for one attempt, even a failed one."""
    row = session.exec(select(AuthCode).where(AuthCode.code_hash == hash_token(code))).first()
    if row is None:
        return "The code is not recognised."
    if row.used_at is not None:
        # A replayed code may be stolen: withdraw everything it gave (RFC 6749 4.1.2).
        _revoke_grant(session, row.grant_id)
        return "The code was already used."
    row.used_at = utcnow()
    session.add(row)
    if row.expires_at <= utcnow():
        return "The code expired."
    if row.client_id != client_id or row.redirect_uri != redirect_uri:
        return "client_id or redirect_uri differ from the authorization request."
    if not verifier_matches(verifier, row.code_challenge):
        return "code_verifier does not match the code_challenge."
    return _issue_pair(session, state, row.seller_id, client_id, row.grant_id)


def _refresh(
    session: Session, state: ServerState, refresh_token: str, client_id: str
) -> TokenPair | str:
    row = session.exec(select(Token).where(Token.token_hash == hash_token(refresh_token))).first()
    if row is None or row.kind != "refresh" or row.client_id != client_id:
        return "The refresh token is not recognised."
    assert row.grant_id is not None and row.seller_id is not None
    if row.revoked_at is not None:
        _revoke_grant(session, row.grant_id)
        return "The refresh token was revoked or already used."
    if row.expires_at is not None and row.expires_at <= utcnow():
        return "The refresh token expired."
    row.revoked_at = utcnow()
    session.add(row)
    return _issue_pair(session, state, row.seller_id, client_id, row.grant_id)


@router.post(
    "/token",
    response_model=TokenPair,
    responses={400: {"content": {PROBLEM_MEDIA_TYPE: {}}}},
)
def token(
    request: Request,
    state: StateDep,
    grant_type: Annotated[str, Form(max_length=50)],
    client_id: Annotated[str, Form(max_length=100)],
    code: Annotated[str, Form(max_length=200)] = "",
    redirect_uri: Annotated[str, Form(max_length=500)] = "",
    code_verifier: Annotated[str, Form(max_length=200)] = "",
    refresh_token: Annotated[str, Form(max_length=200)] = "",
) -> JSONResponse:
    if client_id not in state.settings.oauth_clients:
        return _oauth_error(request, "invalid_client", "Unknown client_id.")
    if grant_type not in ("authorization_code", "refresh_token"):
        return _oauth_error(
            request, "unsupported_grant_type", "Use authorization_code or refresh_token."
        )
    with state.db.write() as session:
        if grant_type == "authorization_code":
            outcome = _redeem_code(session, state, code, client_id, redirect_uri, code_verifier)
        else:
            outcome = _refresh(session, state, refresh_token, client_id)
    if isinstance(outcome, str):
        return _oauth_error(request, "invalid_grant", outcome)
    return JSONResponse(outcome.model_dump(), headers={"Cache-Control": "no-store"})


@router.post("/revoke", status_code=200, response_model=dict[str, bool])
def revoke(
    state: StateDep,
    token: Annotated[str, Form(max_length=200)],
    token_type_hint: Annotated[str, Form(max_length=50)] = "",
) -> dict[str, bool]:
    """RFC 7009: always 200, whether or not the token existed; a refresh token takes its
    whole grant with it."""
    with state.db.write() as session:
        row = session.exec(select(Token).where(Token.token_hash == hash_token(token))).first()
        if row is not None and row.revoked_at is None:
            if row.kind == "refresh" and row.grant_id is not None:
                _revoke_grant(session, row.grant_id)
            else:
                row.revoked_at = utcnow()
                session.add(row)
    return {"revoked": True}
