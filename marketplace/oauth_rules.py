"""OAuth 2.0 checks for native apps: loopback redirects (RFC 8252) and PKCE S256 (RFC 7636)."""

import base64
import hashlib
import hmac
import re
from urllib.parse import urlencode, urlsplit

_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
LOOPBACK_HOSTS = {"127.0.0.1", "[::1]"}


def is_loopback_redirect(uri: str) -> bool:
    """http on a loopback IP literal, any port, any path, no fragment (RFC 8252 7.3, 8.3)."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
    return parts.scheme == "http" and host in LOOPBACK_HOSTS and not parts.fragment


def valid_challenge(challenge: str) -> bool:
    # An S256 challenge is base64url of 32 bytes: 43 characters, no padding.
    return _VERIFIER.match(challenge) is not None and len(challenge) == 43


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(verifier: str, challenge: str) -> bool:
    if _VERIFIER.match(verifier) is None:
        return False
    return hmac.compare_digest(s256(verifier), challenge)


def redirect_with(uri: str, **params: str | None) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    separator = "&" if urlsplit(uri).query else "?"
    return f"{uri}{separator}{query}"
