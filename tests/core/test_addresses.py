"""Issue 15, transport: a marketplace sign-in never travels in clear to a public host."""

import pytest

from studio.cli import main
from studio.sync.addresses import LAN_FLAG, check_address
from studio.sync.port import NotConnected


@pytest.mark.parametrize(
    "url",
    [
        "https://market.example.com",
        "https://market.example.com/",
        "http://127.0.0.1:8765",
        "http://127.9.8.7:8765",  # all of 127.0.0.0/8 is this computer
        "http://[::1]:8765",
        "http://localhost:8765",
        "HTTP://LOCALHOST:8765",
    ],
)
def test_https_and_this_computer_are_accepted(url):
    assert check_address(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://93.184.216.34",
        "http://[2606:2800:220:1::]",
        "http://localhost.example.com",  # a public name that merely starts like loopback
        "http://127.0.0.1.example.com",
    ],
)
def test_plain_http_to_a_public_host_is_refused_even_with_the_lan_option(url):
    for allow in (False, True):
        with pytest.raises(NotConnected, match="https://"):
            check_address(url, allow_insecure=allow)


@pytest.mark.parametrize(
    "url", ["http://192.168.1.20:8765", "http://10.0.0.5", "http://nas.local:8765"]
)
def test_a_lan_test_server_needs_the_explicit_option(url):
    with pytest.raises(NotConnected, match=LAN_FLAG):
        check_address(url)
    assert check_address(url, allow_insecure=True) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "not a marketplace address"),
        ("example.com", "not a marketplace address"),
        ("ftp://example.com", "not a marketplace address"),
        ("http://localhost:99999", "not a marketplace address"),
        ("https://seller:secret@example.com", "user name and password"),
    ],
)
def test_what_is_not_an_address_is_refused_with_what_to_write(url, words):
    with pytest.raises(NotConnected, match=words):
        check_address(url)


def test_the_cli_refuses_to_send_a_token_over_http_to_a_public_host(tmp_path, capsys):
    home = tmp_path / "home"
    for extra in ([], [LAN_FLAG]):
        code = main(
            ["--data-dir", str(home), "connect", "http://example.com", "--token", "tok", *extra]
        )
        err = capsys.readouterr().err
        assert code == 1
        assert "https://" in err and "tok" not in err and "Traceback" not in err
    main(["--data-dir", str(home), "accounts", "list"])
    assert "No marketplace is connected" in capsys.readouterr().out
