"""Which marketplace addresses the studio may send a sign-in to.

A bearer token sent over plain http can be read by anyone on the path, so every address the
studio stores or calls must be https. The exceptions: this computer itself (loopback never
leaves the machine), and, only when the seller asks for it out loud, a test server on their
own network (a private address such as 192.168.1.20, or a `name.local` host).
"""

import ipaddress
from urllib.parse import urlsplit

from studio.sync.port import NotConnected

LAN_FLAG = "--allow-insecure-lan"


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    ip = _ip(host)
    return host == "localhost" if ip is None else ip.is_loopback


def is_lan(host: str) -> bool:
    """A private or link-local address, or a host name that cannot be on the internet."""
    ip = _ip(host)
    if ip is None:
        return host.endswith(".local") or "." not in host
    return ip.is_private or ip.is_link_local


def check_address(url: str, allow_insecure: bool = False) -> str:
    """The address, without a trailing slash, if a sign-in may be sent there.

    Raises NotConnected saying what to write instead. `allow_insecure` lets plain http reach
    a LAN test server; it never lets a token go in clear to a public host.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - reading it validates it (a port over 65535 raises)
    except ValueError:
        host = ""
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise NotConnected(
            f"{url!r} is not a marketplace address; write it like https://market.example.com"
        )
    if parts.username or parts.password:
        raise NotConnected(
            "Leave the user name and password out of the address; sign in with --token or "
            "through the browser instead."
        )
    if parts.scheme.lower() == "https" or is_loopback(host):
        return text.rstrip("/")
    if allow_insecure and is_lan(host):
        return text.rstrip("/")
    hint = f"; for a test server on your own network add {LAN_FLAG}" if is_lan(host) else ""
    raise NotConnected(
        f"Refusing to send your marketplace sign-in in clear over http to {host}: anyone on "
        f"the network could read it. Use the https:// address{hint}."
    )
