"""``zkmargin serve`` as a subprocess and ``zkmargin client`` against it, end to end;
the CLI's errors (missing Ray extra, unreachable server, bad keys)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.service.conftest import account_json
from zkmargin.cli import main
from zkmargin.service.launch import ServeProcess, free_port


@pytest.fixture(scope="module")
def served(service_keys: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    try:
        server = ServeProcess(service_keys, workers=1, max_queue=4, cwd=ROOT)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server.url, server.proc
    server.stop()


def test_serve_and_client_end_to_end(served: tuple[str, subprocess.Popen],
                                     service_keys: Path, tmp_path: Path) -> None:
    url, _ = served
    runner = CliRunner()
    out = tmp_path / "proof"
    res = runner.invoke(main, ["client", "prove", "covered_call", "--url", url, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "covered_call: proved on n2k1 (full)" in res.output
    statement = json.loads((out / "statement.json").read_text())
    assert statement["shape"] == "n2k1" and statement["statement"] == "full"
    assert len(statement["vk_sha256"]) == 64
    assert runner.invoke(main, ["client", "verify", str(out), "--url", url]).exit_code == 0
    res = runner.invoke(main, ["verify", "--keys", str(service_keys), str(out)])
    assert res.exit_code == 0, res.output  # the files are what `zkmargin prove` writes
    public = json.loads((out / "public.json").read_text())
    public[2] = str(int(public[2]) + 1)
    (out / "public.json").write_text(json.dumps(public))
    res = runner.invoke(main, ["client", "verify", str(out), "--url", url])
    assert res.exit_code == 1 and "invalid" in res.output

    accounts = tmp_path / "accounts"
    accounts.mkdir()
    (accounts / "a_good.json").write_text(json.dumps(account_json("liquidatable")))
    (accounts / "b_bad.json").write_text(json.dumps(dict(account_json("liquidatable"),
                                                         cash="12345678901234567890123456")))
    res = runner.invoke(main, ["client", "batch", str(accounts), "--url", url, "-o",
                               str(tmp_path / "batch")])
    assert res.exit_code == 2
    assert "a_good: proved on n4k2" in res.stdout
    assert res.stderr.strip().startswith(f"error: {accounts / 'b_bad.json'}: accounts[1].cash")
    assert (tmp_path / "batch" / "a_good" / "proof.json").exists()
    assert not (tmp_path / "batch" / "b_bad").exists()

    res = runner.invoke(main, ["client", "riskbook", "--market", "default", "--url", url])
    assert res.exit_code == 0 and res.output.strip() == statement_commitment(out)


def statement_commitment(proof_dir: Path) -> str:
    return json.loads((proof_dir / "public.json").read_text())[0]


def test_ray_without_the_extra_is_a_clear_error(service_keys: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    res = CliRunner().invoke(main, ["serve", "--keys", str(service_keys), "--market",
                                    "default", "--ray"])
    assert res.exit_code == 2
    assert res.output.strip() == ("error: --ray: Ray is not installed; install the extra "
                                  "with pip install 'zkmargin[ray]'")


def test_client_errors_are_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    res = CliRunner().invoke(main, ["client", "prove", "covered_call", "--url", url])
    assert res.exit_code == 2 and "cannot reach the server" in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(main, ["serve", "--keys", str(tmp_path), "--market", "default"])
    assert res.exit_code == 2 and res.output.startswith("error: ")
    res = CliRunner().invoke(main, ["serve", "--keys", str(tmp_path), "--market", "default",
                                    "--port", "70000"])
    assert res.exit_code == 2


def test_serve_binds_loopback_by_default() -> None:
    serve = main.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
