import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The contract checks live with eBay's definitions; the fake and its helpers beside these
# tests. Both folders are put on the path for the tests' imports (importlib mode adds none).
HERE = Path(__file__).resolve().parent
for folder in (HERE.parent / "contracts" / "ebay", HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from ebay_setup import make_client  # noqa: E402
from fake_ebay import FakeEbay  # noqa: E402

from studio.marketplaces.ebay.client import EbayClient  # noqa: E402


@pytest.fixture
def fake() -> FakeEbay:
    return FakeEbay()


@pytest.fixture
def client(fake: FakeEbay, tmp_path: Path) -> Iterator[EbayClient]:
    made = make_client(fake, tmp_path / "ebay-ledger.json")
    yield made
    made.close()
