"""Buyers acting on the embedded marketplace through /v1/market, as the simulator does."""

from dataclasses import dataclass

import httpx


@dataclass
class Buyer:
    base_url: str
    id: int
    name: str
    token: str

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(method, f"{self.base_url}/v1/market{path}", headers=headers, **kwargs)

    def like(self, listing_id: int | str) -> None:
        assert self.call("PUT", f"/listings/{listing_id}/like").status_code in (200, 201, 204)

    def follow(self, seller: str) -> None:
        assert self.call("PUT", f"/sellers/{seller}/follow").status_code in (200, 201, 204)

    def offer(self, listing_id: int | str, amount_cents: int) -> dict:
        response = self.call(
            "POST", f"/listings/{listing_id}/offers", json={"amount_cents": amount_cents}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def offers(self) -> list[dict]:
        return self.call("GET", "/offers").json()["offers"]

    def write(self, seller: str, body: str, listing_id: int | str | None = None) -> dict:
        message: dict = {"body": body}
        if listing_id is not None:
            message["listing_id"] = int(listing_id)
        response = self.call("POST", f"/sellers/{seller}/messages", json=message)
        assert response.status_code == 201, response.text
        return response.json()

    def buy(self, *listing_ids: int | str) -> dict:
        response = self.call("POST", "/orders", json={"listing_ids": [int(i) for i in listing_ids]})
        assert response.status_code == 201, response.text
        return response.json()


def new_buyer(base_url: str, name: str) -> Buyer:
    response = httpx.post(
        f"{base_url}/v1/market/buyers",
        json={
            "name": name,
            "address": {
                "name": name,
                "line1": "4 Quarry Lane",
                "city": "Dayton",
                "region": "OH",
                "postal_code": "45402",
                "country": "US",
            },
        },
    )
    assert response.status_code == 201, response.text
    data = response.json()
    return Buyer(base_url, int(data["id"]), data["name"], data["token"])
