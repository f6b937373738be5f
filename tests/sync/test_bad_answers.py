"""Issue 15: a server that answers 200 with something other than the Seller API's JSON (a
captive portal's login page, a proxy's error, a truncated body) is a port error the engine
already knows how to live with, never a crash."""

import httpx
import pytest

from studio.marketplaces.seller_api.client import SellerApiClient
from studio.marketplaces.seller_api.tokens import PersonalToken
from studio.sync.port import BadAnswer, Unreachable


def client_answering(content: bytes, content_type: str) -> SellerApiClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content, headers={"content-type": content_type})

    return SellerApiClient(
        "https://market.example.com", PersonalToken("t"), transport=httpx.MockTransport(answer)
    )


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html><body>Sign in to the hotel wifi</body></html>", "text/html"),
        (b'{"listings": [', "application/json"),  # cut off mid-way
        (b"\x00\xff\xfe binary", "application/octet-stream"),
        (b"[1, 2, 3]", "application/json"),  # JSON, but not the shape promised
        (b'{"unexpected": true}', "application/json"),
    ],
)
def test_an_answer_that_is_not_the_api_is_a_bad_answer(content, content_type):
    client = client_answering(content, content_type)
    for call in (
        lambda: client.get_listing("1"),
        lambda: client.events(0, 10),
        lambda: client.listings(None, None, 10),
    ):
        with pytest.raises(BadAnswer, match="not the Seller API's JSON") as raised:
            call()
        # The engine skips an Unreachable marketplace and tries again next cycle.
        assert isinstance(raised.value, Unreachable)
    client.close()
