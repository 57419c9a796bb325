"""Hostile and careless input through the CLI and the API: no crash, no silent wrong
answer, no destroyed file.  Each bad input gives one line ``error: ...`` naming the file
or the field and exit status 2 (``verify``: 1 for a rejected proof)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.prover.conftest import toy_circuit


def zk(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zkmargin.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, **kw)


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> Path:
    """A toy circuit's r1cs, witness, ptau, zkey, vk, proof and public inputs."""
    from circuits import R1CS, write_r1cs, write_wtns
    from prover.ceremony import dev_ceremony

    d = tmp_path_factory.mktemp("toy")
    dev_ceremony(d / "dev.ptau", 5, seed=99)
    t, w = toy_circuit()
    write_r1cs(d / "toy.r1cs", R1CS(t.prime, t.n_wires, t.n_pub_out, t.n_pub_in, t.n_prv_in,
                                    t.n_labels, t.constraints, list(range(t.n_wires))))
    write_wtns(d / "toy.wtns", w)
    proc = zk("setup", "new", d / "toy.r1cs", d / "dev.ptau", d / "toy.zkey", "--vk",
              d / "vk.json")
    assert proc.returncode == 0, proc.stderr
    proc = zk("groth16", "prove", d / "toy.zkey", d / "toy.wtns", d / "proof.json",
              d / "public.json")
    assert proc.returncode == 0, proc.stderr
    return d


# --- case 1: nesting, duplicate keys, encodings, huge integers -------------------------
DEEP = "[" * 100_000


@pytest.mark.slow
@pytest.mark.parametrize("slot", ["vk", "public", "proof"])
def test_deeply_nested_json_is_one_line_error_not_a_crash(toy: Path, tmp_path: Path,
                                                          slot: str) -> None:
    files = {"vk": toy / "vk.json", "public": toy / "public.json", "proof": toy / "proof.json"}
    files[slot] = tmp_path / "deep.json"
    files[slot].write_text(DEEP)
    for cmd in (["verify"], ["groth16", "verify"]):
        one_line_error(zk(*cmd, files["vk"], files["public"], files["proof"]),
                       "deep.json", "nested too deeply")


@pytest.mark.slow
def test_deeply_nested_account_snapshot_book(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    one_line_error(zk("margin", deep, "--market", "default"), "deep.json", "nested too deeply")
    one_line_error(zk("riskbook", deep, "-o", tmp_path / "b.json"), "deep.json",
                   "nested too deeply")
    one_line_error(zk("margin", "covered_call", "--riskbook", deep), "deep.json",
                   "nested too deeply")


def test_py_ecc_does_not_leave_a_raised_recursion_limit() -> None:
    code = ("import sys; before = sys.getrecursionlimit(); import zkmargin.api, verifier.groth16,"
            " prover.prove, native, py_ecc.optimized_bn128; print(before, sys.getrecursionlimit())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.split()
    assert out[0] == out[1], out


@pytest.mark.slow
def test_duplicate_keys_are_refused(toy: Path, tmp_path: Path) -> None:
    acct = tmp_path / "dup.json"
    acct.write_text('{"cash": "100", "cash": "1000000", "positions": []}')
    one_line_error(zk("margin", acct, "--market", "default"), "dup.json", "cash: duplicate key")
    proof = json.loads((toy / "proof.json").read_text())
    text = json.dumps(proof)[:-1] + ', "pi_a": ' + json.dumps(proof["pi_a"]) + "}"
    (tmp_path / "proof.json").write_text(text)
    one_line_error(zk("verify", toy / "vk.json", toy / "public.json", tmp_path / "proof.json"),
                   "proof.json", "pi_a: duplicate key")
    pos = tmp_path / "pos.json"
    pos.write_text('{"cash": "1", "positions": [{"instrument": "BTC-PERP", "qty": "1", '
                   '"qty": "2"}]}')
    one_line_error(zk("margin", pos, "--market", "default"), "positions[0].qty: duplicate key")


@pytest.mark.slow
def test_non_utf8_and_huge_integers_name_the_file(toy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"pi_a": ["\xe9"]}')
    one_line_error(zk("verify", toy / "vk.json", toy / "public.json", bad), "latin1.json",
                   "not UTF-8")
    one_line_error(zk("groth16", "verify", toy / "vk.json", toy / "public.json", bad),
                   "latin1.json", "not UTF-8")
    huge = tmp_path / "huge.json"
    huge.write_text("[" + "7" * 5000 + "]")
    one_line_error(zk("verify", toy / "vk.json", huge, toy / "proof.json"), "huge.json",
                   "[0]: integer of 5000 digits")
    acct = tmp_path / "acct.json"
    acct.write_text('{"cash": ' + "1" * 5000 + ', "positions": []}')
    one_line_error(zk("margin", acct, "--market", "default"), "acct.json", "cash")
    acct.write_text('{"cash": "' + "1" * 5000 + '", "positions": []}')
    line = one_line_error(zk("margin", acct, "--market", "default"), "acct.json", "cash")
    assert len(line) < 300


# --- case 3: an output path equal to an input or to another output --------------------
@pytest.mark.slow
def test_output_equal_to_an_input_or_another_output_is_refused(toy: Path, tmp_path: Path
                                                                ) -> None:
    import shutil

    for name in ("toy.zkey", "toy.wtns", "dev.ptau", "toy.r1cs", "vk.json"):
        shutil.copy(toy / name, tmp_path / name)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    t = tmp_path
    one_line_error(zk("groth16", "prove", t / "toy.zkey", t / "toy.wtns", t / "toy.zkey",
                      t / "pub.json"), "toy.zkey", "input")
    one_line_error(zk("groth16", "prove", t / "toy.zkey", t / "toy.wtns", t / "p.json",
                      t / "p.json"), "p.json", "two outputs")
    one_line_error(zk("setup", "new", t / "toy.r1cs", t / "dev.ptau", t / "dev.ptau"),
                   "dev.ptau", "input")
    one_line_error(zk("setup", "new", t / "toy.r1cs", t / "dev.ptau", t / "k.zkey", "--vk",
                      t / "k.zkey"), "two outputs")
    one_line_error(zk("setup", "export-vk", t / "toy.zkey", t / "toy.zkey"), "input")
    one_line_error(zk("setup", "contribute", t / "toy.zkey", t / "toy.zkey"), "input")
    one_line_error(zk("export-solidity", t / "vk.json", "-o", t / "vk.json"), "input")
    # the same file through another spelling or a symbolic link
    (t / "link.zkey").symlink_to(t / "toy.zkey")
    one_line_error(zk("setup", "export-vk", t / "toy.zkey", t / "link.zkey"), "input")
    one_line_error(zk("setup", "export-vk", t / "toy.zkey", f"{t}/../{t.name}/toy.zkey"),
                   "input")
    snap = t / "s.json"
    snap.write_text((ROOT / "engine" / "data" / "default.json").read_text())
    before["s.json"] = snap.read_bytes()
    one_line_error(zk("riskbook", snap, "-o", snap), "s.json", "input")
    after = {p.name: p.read_bytes() for p in t.iterdir() if p.name != "link.zkey"}
    assert after == before


# --- case 5: all outputs of a command or none ----------------------------------------
@pytest.mark.slow
def test_multi_file_outputs_are_all_or_nothing(toy: Path, tmp_path: Path) -> None:
    t = tmp_path
    one_line_error(zk("groth16", "prove", toy / "toy.zkey", toy / "toy.wtns", t / "proof.json",
                      t / "missing" / "public.json"), "missing/public.json")
    one_line_error(zk("setup", "new", toy / "toy.r1cs", toy / "dev.ptau", t / "k.zkey", "--vk",
                      t / "missing" / "vk.json"), "missing/vk.json")
    # the second rename fails (a directory is in the way): the first is rolled back
    (t / "old.json").write_text("old proof\n")
    (t / "public.json").mkdir()
    proc = zk("groth16", "prove", toy / "toy.zkey", toy / "toy.wtns", t / "old.json",
              t / "public.json")
    one_line_error(proc, "public.json")
    assert sorted(p.name for p in t.iterdir()) == ["old.json", "public.json"]
    assert (t / "old.json").read_text() == "old proof\n"


# --- case 4: a signal during a write leaves no temporary and no partial file -----------
SLOW_WRITE = """
import sys, time
import prover.ceremony as ceremony
write = ceremony.write_ptau
def slow(fh, *args):
    write(fh, *args)
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
ceremony.write_ptau = slow
from zkmargin.cli import main
main(["setup", "--dev", "--power", "3", "-o", sys.argv[1]])
"""


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_signal_during_a_write_leaves_no_file(tmp_path: Path, signum: str) -> None:
    import signal

    sig = getattr(signal, signum)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, str(tmp_path / "dev.ptau")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert [p.name for p in tmp_path.iterdir()][0].endswith(".tmp")  # it was mid-write
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert err.strip().splitlines() == [f"error: interrupted by {signum}; no output was "
                                        "written"]
    assert list(tmp_path.iterdir()) == []


# --- case 2: a tampered risk book is refused, naming the field ------------------------
@pytest.fixture(scope="module")
def book_json() -> dict:
    from engine.riskbook import RiskBook

    return RiskBook.from_snapshot("default").to_json()


def _tampered(book: dict, how: str) -> dict:
    b = json.loads(json.dumps(book))
    if how == "risk":
        b["instruments"][0]["risk"][0] = str(int(b["instruments"][0]["risk"][0]) - 10**8)
    elif how == "collateral":
        b["collateral"][0]["haircut"] = str(int(b["collateral"][0]["haircut"]) + 1)
    elif how == "im_factor":
        b["im_factor"] = str(int(b["im_factor"]) + 1)
    elif how == "market_commitment":
        b["market_commitment"] = str(int(b["market_commitment"]) + 1)
    elif how == "swap":
        b["S"], b["H"] = b["H"], b["S"]
        b["k"] = "0" if b["S"] == "0" else b["k"]
    return b


@pytest.mark.slow
@pytest.mark.parametrize("how,field", [("risk", "instrument_root"),
                                       ("collateral", "collateral_root"),
                                       ("im_factor", "params_hash"),
                                       ("market_commitment", "market_commitment")])
def test_tampered_book_is_refused_by_the_api(book_json: dict, how: str, field: str) -> None:
    from engine.errors import EngineError
    from engine.riskbook import RiskBook

    with pytest.raises(EngineError, match=f"^book.json: {field}: does not match the book's "
                                          "data$"):
        RiskBook.from_json(_tampered(book_json, how), "book.json")


@pytest.mark.slow
def test_book_with_swapped_s_and_h_or_without_commitments(book_json: dict) -> None:
    from engine.errors import EngineError
    from engine.riskbook import RiskBook

    with pytest.raises(EngineError, match="^book.json: "):
        RiskBook.from_json(_tampered(book_json, "swap"), "book.json")
    bare = {k: v for k, v in book_json.items() if k != "market_commitment"}
    with pytest.raises(EngineError, match="book.json: book.market_commitment: missing"):
        RiskBook.from_json(bare, "book.json")
    bare = {k: v for k, v in book_json.items()
            if k not in ("instrument_root", "collateral_root", "params_hash",
                         "market_commitment")}
    RiskBook.from_json(bare, "book.json")  # fine for margins
    with pytest.raises(EngineError, match="book.json: market_commitment: missing"):
        RiskBook.from_json(bare, "book.json", require_commitments=True)


@pytest.mark.slow
def test_tampered_book_is_refused_by_the_cli(book_json: dict, tmp_path: Path) -> None:
    path = tmp_path / "book.json"
    path.write_text(json.dumps(_tampered(book_json, "market_commitment")))
    line = one_line_error(zk("margin", "covered_call", "--riskbook", path))
    assert line == f"error: {path}: market_commitment: does not match the book's data"
    bare = {k: v for k, v in book_json.items()
            if k not in ("instrument_root", "collateral_root", "params_hash",
                         "market_commitment")}
    path.write_text(json.dumps(bare))
    one_line_error(zk("prove", "covered_call", "--riskbook", path, "--keys", tmp_path, "-o",
                      tmp_path / "out"), "book.json", "market_commitment: missing")
    assert not (tmp_path / "out").exists()


# --- case 7: the Account constructor takes scaled ints or decimal strings only --------
def test_account_refuses_floats_bools_and_none() -> None:
    from engine.account import Account
    from engine.decimal import SCALE

    assert Account(cash="10.5").cash == Account(cash=1050000000).cash == 1050000000
    assert Account(cash=0, positions=[("BTC-PERP", "0.25")]).positions == (
        ("BTC-PERP", SCALE // 4),)
    bad = [({"cash": 10.5}, "cash"), ({"cash": True}, "cash"), ({"cash": None}, "cash"),
           ({"cash": 0, "positions": [("BTC-PERP", 1.5)]}, "positions[0].qty"),
           ({"cash": 0, "positions": [("BTC-PERP", 1e30)]}, "positions[0].qty"),
           ({"cash": 0, "collateral": [("BTC", False)]}, "collateral[0].amount"),
           ({"cash": 0, "collateral": [("BTC", "-1")]}, "collateral[0].amount"),
           ({"cash": 0, "positions": [("BTC-PERP",)]}, "positions[0]"),
           ({"cash": "1e5"}, "cash"), ({"cash": 0, "salt": 1.0}, "salt")]
    for kwargs, field in bad:
        with pytest.raises(ValueError, match=rf"^{field.replace('[', '.').replace(']', '.')}"):
            Account(**kwargs)


# --- case 11: verify returns False for anything malformed, never raises ----------------
@pytest.mark.slow
def test_verify_never_raises(toy: Path) -> None:
    from verifier.groth16 import verify
    from verifier.keys import VerifyingKey
    from zkmargin.api import verify as api_verify

    vk = json.loads((toy / "vk.json").read_text())
    proof = json.loads((toy / "proof.json").read_text())
    public = json.loads((toy / "public.json").read_text())
    assert verify(vk, public, proof) is True
    junk = [None, 0, 1.5, True, "x", b"x", [], {}, [None], {"pi_a": None}, object(),
            [[["1"]]], float("nan"), {"IC": [[1.5, None]]}, ["-1"], [str(1 << 300)],
            VerifyingKey([1], [[1]], None, None, [[]])]
    for j in junk:
        for args in ((j, public, proof), (vk, j, proof), (vk, public, j)):
            assert verify(*args) is False, (args,)
            assert api_verify(vk=args[0], public=args[1], proof=args[2]) is False
    assert api_verify(vk=vk, public=public, proof=proof) is True


# --- fuzz: every JSON reader gives a valid object or a clean error naming the file -----
def _mutations():
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                       st.text(max_size=8), st.sampled_from(["1", "-1", "0.5", "1e9", ""]))
    values = st.recursive(leaves, lambda c: st.one_of(st.lists(c, max_size=3),
                                                      st.dictionaries(st.text(max_size=5), c,
                                                                      max_size=3)),
                          max_leaves=6)
    return values


def _mutate(doc, path_choices, value):
    """Replace the node reached by ``path_choices`` (indices into lists/keys) by ``value``."""
    if not path_choices or not isinstance(doc, (list, dict)) or not doc:
        return value
    keys = list(range(len(doc))) if isinstance(doc, list) else list(doc)
    k = keys[path_choices[0] % len(keys)]
    out = list(doc) if isinstance(doc, list) else dict(doc)
    out[k] = _mutate(doc[k], path_choices[1:], value)
    return out


def _readers(toy: Path) -> dict:
    from engine.account import load_account
    from engine.riskbook import RiskBook
    from engine.snapshot import load_snapshot
    from prover.files import load_json
    from verifier.keys import load_proof, load_public, load_vk

    return {
        "account": (load_account, ROOT / "engine" / "data" / "accounts" / "pair_trade.json"),
        "snapshot": (load_snapshot, ROOT / "engine" / "data" / "default.json"),
        "vk": (load_vk, toy / "vk.json"), "proof": (load_proof, toy / "proof.json"),
        "public": (load_public, toy / "public.json"),
        "json": (lambda p: load_json(p, "verification key"), toy / "vk.json"),
        "book": (RiskBook.load, None),
    }


@pytest.mark.slow
def test_fuzz_json_readers(toy: Path, tmp_path_factory) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    readers = _readers(toy)
    d = tmp_path_factory.mktemp("fuzz")
    small_book = {"version": "zkm-1", "S": "1", "H": "0", "k": "0", "im_factor": "100000000",
                  "instruments": [{"symbol": "A", "mark": "1", "som": "0", "cont": "0",
                                   "risk": ["-5"]}], "collateral": []}
    docs = {name: (json.loads(path.read_text()) if path else small_book)
            for name, (_, path) in readers.items()}

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(name=st.sampled_from(sorted(readers)), choices=st.lists(st.integers(0, 50),
                                                                   max_size=4),
           value=_mutations(), raw=st.one_of(st.none(), st.binary(max_size=40)))
    def run(name, choices, value, raw):
        reader, _ = readers[name]
        path = d / f"{name}.json"
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(json.dumps(_mutate(docs[name], choices, value)))
        try:
            reader(path)
        except ValueError as exc:
            assert str(path) in str(exc), (name, str(exc))
            assert "\n" not in str(exc)

    run()


# --- case 10: errors name the file or the field; bad input is exit 2, not 3 -----------
@pytest.mark.slow
def test_errors_name_the_file_and_the_field(tmp_path: Path) -> None:
    acct = tmp_path / "acct.json"
    acct.write_text('{"cash": "1", "positions": [{"instrument": "NOPE", "qty": "1"}]}')
    one_line_error(zk("margin", acct, "--market", "default"), "acct.json",
                   "positions[0].instrument", "NOPE")
    acct.write_text('{"cash": "1", "positions": [], "collateral": [{"asset": "ZZZ", '
                    '"amount": "1"}]}')
    one_line_error(zk("margin", acct, "--market", "default"), "acct.json",
                   "collateral[0].asset", "ZZZ")
    snap = json.loads((ROOT / "engine" / "data" / "default.json").read_text())
    path = tmp_path / "snap.json"
    bad = json.loads(json.dumps(snap))
    bad["time"] = "0001-01-01T00:00:00+23:59"
    path.write_text(json.dumps(bad))
    one_line_error(zk("riskbook", path, "-o", tmp_path / "b.json"), "snap.json", "time")
    bad = json.loads(json.dumps(snap))
    bad["historical"][0]["returns"]["BTC"] = "1000000"
    path.write_text(json.dumps(bad))
    one_line_error(zk("riskbook", path, "-o", tmp_path / "b.json"), "snap.json", "risk")
    assert not (tmp_path / "b.json").exists()


@pytest.mark.slow
def test_usage_errors_are_one_error_line() -> None:
    one_line_error(zk("margin"), "Missing argument")
    one_line_error(zk("verify"), "verify")
    one_line_error(zk("--no-such-option"), "No such option")
    one_line_error(zk("no-such-command"), "No such command")
    one_line_error(zk("margin", "covered_call", "--market"), "--market")


# --- case 9: damaged points are refused when keys are read -----------------------------
@pytest.mark.slow
def test_damaged_points_are_refused_on_read(toy: Path, tmp_path: Path) -> None:
    from circuits.binfile import read_binfile

    raw = bytearray((toy / "toy.zkey").read_bytes())
    f = read_binfile(toy / "toy.zkey", b"zkey")
    off, size = f.sections[2]
    # the last header point is delta_g2 (128 bytes): change one limb of its y
    pos = off + size - 40
    raw[pos] ^= 1
    (tmp_path / "bad.zkey").write_bytes(bytes(raw))
    one_line_error(zk("setup", "export-vk", tmp_path / "bad.zkey", tmp_path / "vk.json"),
                   "bad.zkey", "delta_g2", "not on the curve")
    assert not (tmp_path / "vk.json").exists()
    raw = bytearray((toy / "toy.zkey").read_bytes())
    off, size = f.sections[3]  # IC[1]
    raw[off + 64 + 3] ^= 4
    (tmp_path / "bad.zkey").write_bytes(bytes(raw))
    one_line_error(zk("groth16", "prove", tmp_path / "bad.zkey", toy / "toy.wtns",
                      tmp_path / "p.json", tmp_path / "q.json"), "bad.zkey", "IC[1]")
    vk = json.loads((toy / "vk.json").read_text())
    vk["vk_alpha_1"][1] = str(int(vk["vk_alpha_1"][1]) + 1)
    (tmp_path / "vk.json").write_text(json.dumps(vk))
    one_line_error(zk("export-solidity", tmp_path / "vk.json", "-o", tmp_path / "V.sol"),
                   "vk.json", "alpha", "not on the curve")
    assert not (tmp_path / "V.sol").exists()
    proc = zk("verify", tmp_path / "vk.json", toy / "public.json", toy / "proof.json")
    assert proc.returncode == 1 and "not on the curve" in proc.stdout


@pytest.mark.slow
def test_careless_fields_and_paths(toy: Path, tmp_path: Path) -> None:
    """Fields of the wrong type are refused instead of being turned into strings; a
    symbolic-link loop as an input is an error naming it; a damaged ptau point used by
    the setup is named."""
    from circuits.binfile import read_binfile

    acct = tmp_path / "acct.json"
    acct.write_text('{"name": [[]], "cash": "1", "positions": []}')
    one_line_error(zk("margin", acct, "--market", "default"), "acct.json", "name")
    proof = json.loads((toy / "proof.json").read_text())
    proof["curve"] = None
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    one_line_error(zk("verify", toy / "vk.json", toy / "public.json", tmp_path / "proof.json"),
                   "proof.json", "curve")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    one_line_error(zk("riskbook", tmp_path / "loop", "-o", tmp_path / "b.json"), "loop")
    raw = bytearray((toy / "dev.ptau").read_bytes())
    off, _ = read_binfile(toy / "dev.ptau", b"ptau").sections[12]
    raw[off + (2**4 - 1) * 64 + 3 * 64 + 5] ^= 1  # Lagrange level 4, point 3
    (tmp_path / "bad.ptau").write_bytes(bytes(raw))
    one_line_error(zk("setup", "new", toy / "toy.r1cs", tmp_path / "bad.ptau",
                      tmp_path / "k.zkey"), "bad.ptau", "Lagrange tauG1 level 4[3]",
                   "not on the curve")
    assert not (tmp_path / "k.zkey").exists()


@pytest.mark.slow
def test_book_time_must_be_a_string(book_json: dict) -> None:
    from engine.errors import EngineError
    from engine.riskbook import RiskBook

    with pytest.raises(EngineError, match="book.json: time: expected a string"):
        RiskBook.from_json({**book_json, "time": None}, "book.json")


def _twist_point_outside_g2() -> tuple[tuple[int, int], tuple[int, int]]:
    """A point of the twist y^2 = x^3 + 3/(9+u) over Fq2 that is not in G2 (r Q != O)."""
    from py_ecc import optimized_bn128 as bn

    p = bn.field_modulus
    b2 = bn.b2

    def fq_sqrt(a: int):
        s = pow(a, (p + 1) // 4, p)
        return s if s * s % p == a % p else None

    for x0 in range(1, 200):
        x = bn.FQ2([x0, 1])
        rhs = x * x * x + b2
        a0, a1 = (int(c) for c in rhs.coeffs)
        norm = fq_sqrt(a0 * a0 + a1 * a1)
        if norm is None:
            continue
        for n in (norm, p - norm):
            half = (a0 + n) * pow(2, -1, p) % p
            y0 = fq_sqrt(half)
            if not y0:
                continue
            y1 = a1 * pow(2 * y0, -1, p) % p
            y = bn.FQ2([y0, y1])
            if y * y != rhs:
                continue
            point = (x, y, bn.FQ2.one())
            if not bn.is_inf(bn.multiply(point, bn.curve_order)):
                return (x0, 1), (y0, y1)
    raise AssertionError("no point found")


@pytest.mark.slow
def test_g2_point_outside_the_subgroup_is_refused(toy: Path, tmp_path: Path) -> None:
    (x0, x1), (y0, y1) = _twist_point_outside_g2()
    vk = json.loads((toy / "vk.json").read_text())
    vk["vk_delta_2"] = [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]
    (tmp_path / "vk.json").write_text(json.dumps(vk))
    one_line_error(zk("export-solidity", tmp_path / "vk.json", "-o", tmp_path / "V.sol"),
                   "vk.json", "delta", "subgroup")
    proc = zk("verify", tmp_path / "vk.json", toy / "public.json", toy / "proof.json")
    assert proc.returncode == 1 and "subgroup" in proc.stdout
    import native
    import numpy as np

    from circuits.binfile import read_binfile

    raw = bytearray((toy / "toy.zkey").read_bytes())
    off, size = read_binfile(toy / "toy.zkey", b"zkey").sections[2]
    limbs = native.g2_from_ints([((x0, x1), (y0, y1))])[0]
    raw[off + size - 128:off + size] = np.ascontiguousarray(limbs, dtype="<u8").tobytes()
    (tmp_path / "bad.zkey").write_bytes(bytes(raw))
    one_line_error(zk("setup", "export-vk", tmp_path / "bad.zkey", tmp_path / "vk2.json"),
                   "bad.zkey", "delta_g2", "subgroup")
