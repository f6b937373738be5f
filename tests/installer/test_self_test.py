"""`studio --self-test` in this environment (the bundle's own run is in test_bundle.py).

Both tests take `qapp`: the label check would otherwise start a bare QGuiApplication in the
test process, and later widget tests cannot make their QApplication beside it."""

import io

from studio import self_test
from studio.cli import main


def test_every_check_passes_here(qapp, capsys) -> None:
    assert main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        f"PASS  {name}" for name in self_test.CHECKS
    ]
    assert lines[-1] == "self-test: all passed"


def test_a_failing_check_fails_the_run_and_the_others_still_run(qapp, monkeypatch) -> None:
    def broken(_scratch) -> str:
        raise self_test.CheckFailed("the widget is missing")

    monkeypatch.setattr(self_test, "CHECKS", {"broken": broken, **self_test.CHECKS})
    out = io.StringIO()
    assert self_test.main(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "FAIL  broken: CheckFailed: the widget is missing"
    assert sum(line.startswith("PASS") for line in lines) == len(self_test.CHECKS) - 1
    assert lines[-1] == f"self-test: 1 of {len(self_test.CHECKS)} checks failed"
