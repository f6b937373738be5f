"""The private-file credential store, and which store a data dir's processes pick."""

import stat

from studio.storage.credentials import PrivateFileStore, credential_store


def test_the_private_file_keeps_secrets_by_key_readable_only_by_this_user(tmp_path):
    store = PrivateFileStore(tmp_path)
    assert store.get("seller-api") is None

    store.set("seller-api", {"kind": "personal", "token": "mkp_pat_one"})
    store.set("other-market", {"kind": "oauth", "access_token": "at", "refresh_token": "rt"})
    store.delete("other-market")
    store.delete("never-stored")

    assert PrivateFileStore(tmp_path).get("seller-api") == {
        "kind": "personal",
        "token": "mkp_pat_one",
    }
    assert PrivateFileStore(tmp_path).get("other-market") is None
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    assert str(store.file) in store.where
    assert [path.name for path in tmp_path.iterdir()] == [store.file.name]  # no partial left


def test_a_data_dir_that_keeps_its_secrets_in_the_file_goes_on_using_it(tmp_path):
    # Whatever keyring this machine has: the window, a command and a scheduled job of one
    # data dir must all find the token where it was saved.
    PrivateFileStore(tmp_path).set("seller-api", {"kind": "personal", "token": "mkp_pat_two"})

    picked = credential_store(tmp_path)

    assert picked.get("seller-api") == {"kind": "personal", "token": "mkp_pat_two"}
    assert str(tmp_path / "credentials.json") in picked.where
