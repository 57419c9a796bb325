"""The embedding API: what a rollup sequencer (or a venue) calls.

.. code-block:: python

    from zkmargin import RiskBook, MarginProver, verify

    book = RiskBook.from_snapshot(snapshot)          # once per oracle update
    prover = MarginProver.load("keys/standard")      # once per process: keys stay in memory
    result = prover.prove(account, book)             # report + proof + public inputs
    assert verify(prover.vk, result.proof, result.public)
    results = prover.prove_many(accounts, book)      # a block's worth, in parallel

A key directory holds one margin circuit's keys: ``circuit.json`` (the shape
``(N, K, S, H, k, D_i, D_c)``, the statement, and the constraint-matrix hash),
``margin.zkey`` (snarkjs layout) and ``verification_key.json`` (snarkjs JSON).
:meth:`MarginProver.setup` makes one, from a powers-of-tau file or, for development,
from a local ceremony whose toxic waste the caller could keep (insecure).

Nothing here holds margin logic: the engine computes the report, ``circuits.margin``
the witness, ``prover`` the proof, ``verifier`` the check.  Errors are ``ValueError``
subclasses naming the offending field; nothing prints except through ``logging``.
"""
from __future__ import annotations

import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Union

from engine.account import Account
from engine.riskbook import RiskBook

if TYPE_CHECKING:
    from circuits.margin import MarginShape
    from engine.margin import MarginReport
    from prover.prove import Prover

log = logging.getLogger(__name__)

PathLike = Union[str, Path]
CIRCUIT_FILE = "circuit.json"
ZKEY_FILE = "margin.zkey"
VK_FILE = "verification_key.json"
KEYS_FORMAT = "zkmargin-keys-1"

__all__ = ["RiskBook", "Account", "MarginProver", "MarginResult", "MarginKeyError", "verify"]


class MarginKeyError(ValueError):
    """A key directory that is missing, malformed or made for another circuit shape."""


@dataclass
class MarginResult:
    """One proven margin statement.

    ``proof`` and ``public`` are snarkjs JSON (a dict and a list of decimal strings);
    ``public_named`` maps the statement's public input names to their integers (signed
    values decoded from the field); ``report`` is the engine's full margin report.
    """

    statement: str
    report: "MarginReport"
    proof: dict[str, Any]
    public: list[str]
    public_named: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)


def _decode_signed(e: int) -> int:
    from engine.commitment import from_field

    return from_field(e)


def _shape_to_json(shape: "MarginShape") -> dict[str, int]:
    return {"N": shape.N, "K": shape.K, "S": shape.S, "H": shape.H, "k": shape.k,
            "depth_instruments": shape.depth_instruments,
            "depth_collateral": shape.depth_collateral}


def _read_circuit_json(directory: Path) -> tuple["MarginShape", str, dict[str, Any]]:
    from circuits.margin import STATEMENTS, MarginShape

    path = directory / CIRCUIT_FILE
    try:
        meta = json.loads(path.read_text())
    except FileNotFoundError:
        raise MarginKeyError(f"{directory}: not a key directory (no {CIRCUIT_FILE})") from None
    except json.JSONDecodeError as exc:
        raise MarginKeyError(f"{path}: not JSON ({exc.msg})") from None
    if not isinstance(meta, dict) or meta.get("format") != KEYS_FORMAT:
        raise MarginKeyError(f"{path}.format: expected {KEYS_FORMAT!r}")
    statement = meta.get("statement")
    if statement not in STATEMENTS:
        raise MarginKeyError(f"{path}.statement: {statement!r} is not one of {STATEMENTS}")
    try:
        shape = MarginShape(**{k: int(v) for k, v in meta["shape"].items()})
    except (KeyError, TypeError, ValueError) as exc:
        raise MarginKeyError(f"{path}.shape: malformed ({exc})") from None
    return shape, statement, meta


class MarginProver:
    """Proving and verifying keys of one margin circuit, loaded once per process."""

    def __init__(self, shape: "MarginShape", statement: str, prover: "Prover",
                 vk: dict[str, Any], directory: Optional[Path] = None, constraints: int = 0):
        self.shape = shape
        self.constraints = constraints
        self.statement = statement
        self._prover = prover
        self.vk = vk
        self.directory = directory

    # -- keys --------------------------------------------------------------------------
    @classmethod
    def setup(cls, book: RiskBook, directory: PathLike, *, n_slots: int = 16,
              k_slots: int = 4, statement: str = "full", ptau: Optional[PathLike] = None,
              seed: Optional[int] = None) -> "MarginProver":
        """Make keys for ``book``'s shape with N = ``n_slots``, K = ``k_slots``.

        With ``ptau`` (a prepared powers-of-tau file, e.g. a public ceremony's) the
        circuit-specific setup runs on it; without, an INSECURE development key is
        drawn from fresh secrets (whoever runs it could forge proofs).  The files are
        written atomically into ``directory``.
        """
        from circuits.margin import MarginShape, build_margin_circuit
        from circuits.stats import matrix_hash
        from prover.api import save_json, save_zkey
        from prover.formats import verification_key_json
        from zkbase.files import output_group

        shape = MarginShape.from_book(book, n_slots, k_slots)
        shape.check_book(book)
        circuit = build_margin_circuit(shape, statement)
        if ptau is None:
            from prover.ceremony import draw_toxic_waste
            from prover.dev_keys import dev_zkey

            log.warning("development keys: insecure, the toxic waste was known to this process")
            zkey = dev_zkey(circuit.r1cs, draw_toxic_waste(seed))
        else:
            from prover.ptau import read_ptau
            from prover.setup import new_zkey

            zkey = new_zkey(circuit.r1cs, read_ptau(ptau))
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        vk = verification_key_json(zkey)
        with output_group() as files:  # the three files together or none
            save_zkey(out / ZKEY_FILE, zkey, files)
            save_json(out / VK_FILE, vk, files)
            save_json(out / CIRCUIT_FILE, {
                "format": KEYS_FORMAT, "statement": statement,
                "shape": _shape_to_json(shape),
                "constraints": len(circuit.r1cs.constraints), "wires": circuit.r1cs.n_wires,
                "matrix_hash": matrix_hash(circuit.r1cs),
                "development_key": ptau is None}, files)
        return cls.load(out)

    @classmethod
    def load(cls, directory: PathLike, threads: Optional[int] = None) -> "MarginProver":
        """Load a key directory written by :meth:`setup` (or by ``zkmargin setup margin``)."""
        from prover.prove import Prover
        from prover.zkey import read_zkey

        d = Path(directory)
        shape, statement, meta = _read_circuit_json(d)
        zkey = read_zkey(d / ZKEY_FILE)
        n_public = len(_public_names(statement))
        if zkey.n_public != n_public:
            raise MarginKeyError(f"{d / ZKEY_FILE}: {zkey.n_public} public inputs, the "
                                 f"{statement!r} statement has {n_public}")
        try:
            vk = json.loads((d / VK_FILE).read_text())
        except json.JSONDecodeError as exc:
            raise MarginKeyError(f"{d / VK_FILE}: not JSON ({exc.msg})") from None
        return cls(shape, statement, Prover(zkey, threads), vk, d,
                   int(meta.get("constraints", 0)))

    @classmethod
    def cached_dev(cls, book: RiskBook, *, n_slots: int = 16, k_slots: int = 4,
                   statement: str = "full") -> "MarginProver":
        """INSECURE development keys for ``book``'s shape, made once and kept in the
        user's cache (``$XDG_CACHE_HOME/zkmargin``): for the demo and benchmarks."""
        from circuits.margin import MarginShape

        shape = MarginShape.from_book(book, n_slots, k_slots)
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zkmargin"
        tag = "-".join(str(v) for v in (shape.N, shape.K, shape.S, shape.H, shape.k,
                                         shape.depth_instruments, shape.depth_collateral))
        directory = cache / f"dev-keys-{statement}-{tag}"
        try:
            return cls.load(directory)
        except (MarginKeyError, OSError):
            return cls.setup(book, directory, n_slots=n_slots, k_slots=k_slots,
                             statement=statement)

    # -- proving -----------------------------------------------------------------------
    def prove(self, account: Account, book: RiskBook) -> MarginResult:
        """Prove ``account``'s margin on ``book``; the account needs its ``salt``."""
        from circuits.margin import margin_witness
        from engine.margin import compute_margin
        from prover.prove import witness_limbs

        if account.salt is None:
            raise ValueError("account.salt: needed for the account commitment of a proof "
                             "(a random field element chosen by the account owner)")
        self.shape.check_book(book)
        t0 = time.perf_counter()
        report = compute_margin(account, book)
        witness, _ = margin_witness(self.shape, self.statement, book, account)
        t1 = time.perf_counter()
        proof = self._prover.prove(witness_limbs(witness))
        t2 = time.perf_counter()
        names = _public_names(self.statement)
        named = {n: _decode_signed(v) if n not in ("market_commitment", "account_commitment")
                 else v for n, v in zip(names, proof.public)}
        return MarginResult(self.statement, report, proof.to_json(), proof.public_json(), named,
                            {"witness": t1 - t0, "prove": t2 - t1, **proof.timings})

    def prove_many(self, accounts: Iterable[Account], book: RiskBook,
                   workers: int = 2) -> list[MarginResult]:
        """Prove a batch; witness building (Python) overlaps the native MSMs of another
        proof, which release the GIL.  Results are in the order of ``accounts``."""
        accounts = list(accounts)
        if workers <= 1 or len(accounts) <= 1:
            return [self.prove(a, book) for a in accounts]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda a: self.prove(a, book), accounts))


def _public_names(statement: str) -> Sequence[str]:
    from circuits.margin import PUBLIC_NAMES

    return PUBLIC_NAMES[statement]


def verify(vk: dict[str, Any], proof: dict[str, Any], public: Sequence[Any]) -> bool:
    """Groth16 verification of a margin proof (note the order: vk, proof, public, as in
    ARCHITECTURE.md; the snarkjs-ordered form is :func:`verifier.groth16.verify`).
    Never raises on bad input: anything invalid is a rejection."""
    from verifier.groth16 import verify as groth16_verify

    return groth16_verify(vk, public, proof)
