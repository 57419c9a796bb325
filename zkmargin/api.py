"""The embedding API: what a rollup sequencer (or a venue) calls.

.. code-block:: python

    from zkmargin import RiskBook, MarginProver, verify

    book = RiskBook.from_snapshot(snapshot)          # once per oracle update
    prover = MarginProver.load("keys/standard")      # once per process: keys stay in memory
    result = prover.prove(account, book)             # report + proof + public inputs
    assert verify(prover.vks[result.shape], result.public, result.proof)
    results = prover.prove_many(accounts, book)      # a block's worth

Keys come as a *key set* (:mod:`zkmargin.keyset`): one margin statement at several
circuit shapes ``n{N}k{K}`` (N position slots, K collateral slots).  ``prove`` picks the
smallest shape of the set that holds the account (positions <= N and collateral
entries <= K) and says which (``result.shape``); an account no shape holds is a
:class:`MarginKeyError` naming the largest shape.  :meth:`MarginProver.setup` makes a
key set from a powers-of-tau file or, for development, from a local ceremony whose
toxic waste the caller could keep (insecure).

Loading checks that every shape's files agree with each other and with the circuit
this code builds for that shape: the matrix hash of ``circuit.json`` and of the
manifest against the rebuilt circuit, the zkey's A/B coefficients and sizes against
that circuit, the verification key against the zkey, and the manifest's
``vk_sha256`` against the vk file.  A key set made for an older circuit is refused
with an error saying so (cached development keys are rebuilt).

Nothing here holds margin logic: the engine computes the report, ``circuits.margin``
the witness, ``prover`` the proof, ``verifier`` the check.  Errors are ``ValueError``
subclasses naming the offending field; nothing prints except through ``logging``.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence, Union

from engine.account import Account
from engine.riskbook import RiskBook
from zkmargin.keyset import (CIRCUIT_FILE, KEYS_FORMAT, KEYSET_FILE, LADDER, STATEMENT_FILE,
                             VK_FILE, ZKEY_FILE, Manifest, MarginKeyError, ShapeEntry,
                             file_sha256, load_json_file, parse_shape_name, parse_shapes,
                             read_manifest, shape_name)

if TYPE_CHECKING:
    from circuits.margin import MarginShape
    from engine.margin import MarginReport
    from prover.prove import Prover
    from prover.zkey import ZKey
    from zkmargin.ray_prover import RayMarginProver

#: the name of the phase-2 contribution that `setup margin` adds to every key
CONTRIBUTION_NAME = "zkmargin setup margin"
log = logging.getLogger(__name__)

PathLike = Union[str, Path]
#: ``progress(done, total, message)``: called as a long setup advances
Progress = Callable[[int, int, str], None]

__all__ = ["RiskBook", "Account", "MarginProver", "MarginResult", "MarginFailure",
           "MarginKeyError", "ShapeKeys", "verify", "verify_proof_dir", "LADDER"]


@dataclass
class MarginResult:
    """One proven margin statement.

    ``shape`` names the key set's shape that proved it (``n4k2``...); ``proof`` and
    ``public`` are snarkjs JSON (a dict and a list of decimal strings); ``public_named``
    maps the statement's public input names to their integers (signed values decoded
    from the field); ``report`` is the engine's full margin report; ``timings`` in
    seconds (``witness``, ``prove`` and the prover's phases).
    """

    statement: str
    shape: str
    report: "MarginReport"
    proof: dict[str, Any]
    public: list[str]
    public_named: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def market_commitment(self) -> int:
        return self.public_named["market_commitment"]

    @property
    def account_commitment(self) -> int:
        return self.public_named["account_commitment"]


@dataclass(frozen=True)
class MarginFailure:
    """An account of a :meth:`MarginProver.prove_many` batch that was not proven:
    its position in the input (``index``) and the reason (``error``)."""

    index: int
    error: str

    def __str__(self) -> str:
        return f"account {self.index}: {self.error}"


@dataclass
class ShapeKeys:
    """The loaded keys of one shape: proving key, vk (dict and file hash), circuit facts."""

    name: str
    shape: "MarginShape"
    prover: "Prover"
    vk: dict[str, Any]
    vk_sha256: str
    constraints: int
    matrix_hash: str
    directory: Path

    def fits(self, account: Account) -> bool:
        """positions <= N and collateral entries <= K."""
        return (len(account.positions) <= self.shape.N
                and len(account.collateral) <= self.shape.K)


def _decode_signed(e: int) -> int:
    from engine.commitment import from_field

    return from_field(e)


def _shape_to_json(shape: "MarginShape") -> dict[str, int]:
    return {"N": shape.N, "K": shape.K, "S": shape.S, "H": shape.H, "k": shape.k,
            "depth_instruments": shape.depth_instruments,
            "depth_collateral": shape.depth_collateral}


def _public_names(statement: str) -> Sequence[str]:
    from circuits.margin import PUBLIC_NAMES

    return PUBLIC_NAMES[statement]


# ------------------------------------------------------------------------- circuits
class _Circuit:
    """A margin circuit built once per process: R1CS, matrix hash and its compiled
    witness program (:mod:`circuits.margin.program`)."""

    def __init__(self, shape: "MarginShape", statement: str) -> None:
        from circuits.margin.program import MarginProgram
        from circuits.stats import matrix_hash

        self.shape, self.statement = shape, statement
        self.program = MarginProgram(shape, statement)
        self.r1cs = self.program.r1cs
        self.constraints = len(self.r1cs.constraints)
        self.matrix_hash = matrix_hash(self.r1cs)
        self._coefs: Any = None

    def coefs(self) -> Any:
        """The zkey coefficient section this circuit gives (A and B matrices)."""
        if self._coefs is None:
            from prover.setup import coef_section

            n_pub = self.r1cs.n_pub_out + self.r1cs.n_pub_in
            self._coefs = coef_section(self.r1cs, self.constraints, n_pub)
        return self._coefs

    def witness_limbs(self, book: RiskBook, account: Account) -> Any:
        """The full witness (wire order) of ``account`` on ``book`` as (n, 4) standard
        limbs: the compiled program's native replay, equal wire for wire to the
        builder's witness."""
        return self.program.witness_limbs(book, account)


_CIRCUITS: dict[tuple["MarginShape", str], _Circuit] = {}


def _circuit(shape: "MarginShape", statement: str) -> _Circuit:
    key = (shape, statement)
    c = _CIRCUITS.get(key)
    if c is None:
        c = _CIRCUITS[key] = _Circuit(shape, statement)
    return c


def _load_shape(d: Path, statement: Optional[str], entry: Optional[ShapeEntry],
                threads: Optional[int]) -> ShapeKeys:
    """Load and cross-check one key directory (see the module docstring)."""
    import numpy as np

    from circuits.margin import STATEMENTS, MarginShape
    from prover.errors import ProverError
    from prover.prove import Prover
    from prover.zkey import read_zkey

    path = d / CIRCUIT_FILE
    if not path.exists():
        raise MarginKeyError(f"{d}: not a key directory (no {KEYSET_FILE} or {CIRCUIT_FILE})")
    meta = load_json_file(path)
    if not isinstance(meta, dict) or meta.get("format") != KEYS_FORMAT:
        raise MarginKeyError(f"{path}: format: expected {KEYS_FORMAT!r}")
    st = meta.get("statement")
    if st not in STATEMENTS:
        raise MarginKeyError(f"{path}: statement: {st!r} is not one of {', '.join(STATEMENTS)}")
    if statement is not None and st != statement:
        raise MarginKeyError(f"{path}: statement: {st!r}, the key set's is {statement!r}")
    try:
        dims = meta["shape"]
        if not isinstance(dims, dict) or any(type(v) is not int for v in dims.values()):
            raise TypeError("expected an object of integers")
        shape = MarginShape(**dims)
    except (KeyError, TypeError, ValueError) as exc:
        raise MarginKeyError(f"{path}: shape: malformed ({exc})") from None
    name = shape_name(shape.N, shape.K)
    if entry is not None and entry.name != name:
        raise MarginKeyError(f"{path}: shape: N={shape.N}, K={shape.K} is not {entry.name}")
    circuit = _circuit(shape, st)
    if meta.get("matrix_hash") != circuit.matrix_hash or (
            entry is not None and entry.matrix_hash != circuit.matrix_hash):
        raise MarginKeyError(f"{path}: matrix_hash: does not match the margin circuit of shape "
                             f"{name} built by this version (keys made for another circuit "
                             "version: run setup again)")
    try:
        zkey = read_zkey(d / ZKEY_FILE)
    except FileNotFoundError:
        raise MarginKeyError(f"{d / ZKEY_FILE}: missing") from None
    except ProverError as exc:
        raise MarginKeyError(str(exc)) from None
    n_public = len(_public_names(st))
    coefs = circuit.coefs()
    if (zkey.n_public != n_public or zkey.n_vars != circuit.r1cs.n_wires
            or zkey.coefs.shape != coefs.shape
            or not np.array_equal(zkey.coefs.view(np.uint8), coefs.view(np.uint8))):
        raise MarginKeyError(f"{d / ZKEY_FILE}: made for another circuit than the margin "
                             f"circuit of shape {name} ({st!r} statement, {n_public} public "
                             "inputs)")
    vk_path = d / VK_FILE
    vk = load_json_file(vk_path)
    vk_sha = file_sha256(vk_path)
    if entry is not None and entry.vk_sha256 != vk_sha:
        raise MarginKeyError(f"{vk_path}: its sha256 is not the vk_sha256 of {KEYSET_FILE}")
    if not _vk_matches(vk, zkey):
        raise MarginKeyError(f"{vk_path}: does not belong to {d / ZKEY_FILE}")
    if entry is not None and entry.constraints != circuit.constraints:
        raise MarginKeyError(f"{d.parent / KEYSET_FILE}: {name}: constraints: "
                             f"{entry.constraints}, the circuit has {circuit.constraints}")
    return ShapeKeys(name, shape, Prover(zkey, threads), vk, vk_sha, circuit.constraints,
                     circuit.matrix_hash, d)


def _vk_matches(vk: Any, zkey: "ZKey") -> bool:
    """The vk's points and sizes are the zkey's (``vk_alphabeta_12`` is derived from
    alpha and beta and not compared)."""
    if not isinstance(vk, dict):
        return False
    from native.encoding import g1_to_snarkjs as g1_json
    from native.encoding import g2_to_snarkjs as g2_json
    from prover.encoding import g1_to_int, g2_to_int

    try:
        want = {"protocol": "groth16", "curve": "bn128", "nPublic": zkey.n_public,
                "vk_alpha_1": g1_json(g1_to_int(zkey.alpha_g1)),
                "vk_beta_2": g2_json(g2_to_int(zkey.beta_g2)),
                "vk_gamma_2": g2_json(g2_to_int(zkey.gamma_g2)),
                "vk_delta_2": g2_json(g2_to_int(zkey.delta_g2)),
                "IC": [g1_json(g1_to_int(p)) for p in zkey.gamma_abc_g1]}
    except Exception:  # noqa: BLE001 - a damaged zkey point: no match
        return False
    return all(vk.get(k) == v for k, v in want.items())


# ------------------------------------------------------------------------- the API
class MarginProver:
    """The proving and verifying keys of a key set, loaded once per process.

    ``shapes``: shape names, smallest first; ``vks``: name -> verification key (snarkjs
    dict); ``statement``: ``"full"`` or ``"health"``; ``directory``: where it was loaded
    from.
    """

    def __init__(self, statement: str, keys: Sequence[ShapeKeys],
                 directory: Optional[Path] = None) -> None:
        if not keys:
            raise MarginKeyError("a key set needs at least one shape")
        self.statement = statement
        self.keys = sorted(keys, key=lambda k: (k.shape.N, k.shape.K))
        self.directory = directory
        self._by_name = {k.name: k for k in self.keys}

    @property
    def shapes(self) -> list[str]:
        return [k.name for k in self.keys]

    @property
    def vks(self) -> dict[str, dict[str, Any]]:
        return {k.name: k.vk for k in self.keys}

    @property
    def constraints(self) -> dict[str, int]:
        return {k.name: k.constraints for k in self.keys}

    @property
    def vk(self) -> dict[str, Any]:
        """The verification key of a one-shape key set (with several: use ``vks``)."""
        if len(self.keys) != 1:
            raise MarginKeyError(f"key set with shapes {', '.join(self.shapes)}: use "
                                 "vks[result.shape]")
        return self.keys[0].vk

    def shape_keys(self, name: str) -> ShapeKeys:
        """The keys of shape ``name``; MarginKeyError if the set has no such shape."""
        try:
            return self._by_name[name]
        except KeyError:
            raise MarginKeyError(f"shape {name!r} is not in this key set "
                                 f"({', '.join(self.shapes)})") from None

    def select(self, account: Account) -> ShapeKeys:
        """The smallest shape holding ``account`` (positions <= N, collateral <= K)."""
        for k in self.keys:
            if k.fits(account):
                return k
        big = self.keys[-1]
        raise MarginKeyError(
            f"account: {len(account.positions)} positions and {len(account.collateral)} "
            f"collateral entries fit no shape of this key set; the largest, {big.name}, "
            f"holds {big.shape.N} positions and {big.shape.K} collateral entries")

    # -- keys --------------------------------------------------------------------------
    @classmethod
    def setup(cls, book: RiskBook, directory: PathLike,
              shapes: Union[str, Sequence[str]] = "all", *, statement: str = "full",
              ptau: Optional[PathLike] = None, seed: Optional[int] = None,
              progress: Optional[Progress] = None, n_slots: Optional[int] = None,
              k_slots: Optional[int] = None) -> "MarginProver":
        """Make a key set for ``book``'s S, H, k and depths at ``shapes`` (names, a
        comma-separated string or ``"all"``: the ladder :data:`LADDER`).

        With ``ptau`` (a prepared powers-of-tau file, e.g. a public ceremony's, large
        enough for the biggest shape) the circuit-specific setup runs on it; without,
        INSECURE development keys are drawn from fresh secrets (whoever runs it could
        forge proofs).  Either way each key then gets one phase-2 contribution (a fresh
        delta from the OS CSPRNG, or from ``seed`` in tests), as ``snarkjs zkey
        contribute`` would add; more can follow with ``zkmargin setup contribute``.  The key set appears whole or not at all: it is written into a
        temporary directory beside ``directory`` and renamed into place (replacing an
        earlier key set there; any other existing non-empty directory is refused).
        ``n_slots``/``k_slots`` (the older form) name the single shape ``n{N}k{K}``.
        """
        from circuits.margin import STATEMENTS, MarginShape
        from prover.contribute import contribute
        from prover.files import save_json, save_zkey
        from prover.formats import verification_key_json

        if statement not in STATEMENTS:
            raise ValueError(f"statement: {statement!r} is not one of {', '.join(STATEMENTS)}")
        if n_slots is not None:
            shapes = [shape_name(n_slots, 4 if k_slots is None else k_slots)]
        try:
            names = parse_shapes(shapes)
        except ValueError as exc:
            raise ValueError(f"shapes: {exc}") from None
        for name in names:
            MarginShape.from_book(book, *parse_shape_name(name)).check_book(book)
        out = Path(directory)
        if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (
                (out / KEYSET_FILE).exists() or (out / CIRCUIT_FILE).exists()))):
            raise MarginKeyError(f"{out}: exists and is not a key set (refusing to replace it)")
        out.parent.mkdir(parents=True, exist_ok=True)
        total, step = 3 * len(names), 0

        def tick(message: str) -> None:
            nonlocal step
            step += 1
            if progress is not None:
                progress(step, total, message)

        ptau_data = None
        if ptau is None:
            from prover.ceremony import draw_toxic_waste
            from prover.dev_keys import dev_zkey_contributed

            log.warning("development keys: insecure, the toxic waste was known to this process")
        else:
            from prover.ptau import read_ptau
            from prover.setup import new_zkey

            ptau_data = read_ptau(ptau)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            entries = []
            for i, name in enumerate(names):
                shape = MarginShape.from_book(book, *parse_shape_name(name))
                circuit = _circuit(shape, statement)
                tick(f"{name}: circuit built, {circuit.constraints:,} constraints")
                # one phase-2 contribution (delta != gamma), as every deployed key has:
                # the Solidity verifier's gas is then the one predicted by verify_onchain
                contribution_seed = None if seed is None else seed + 1000 + i
                if ptau_data is None:
                    zkey = dev_zkey_contributed(
                        circuit.r1cs, draw_toxic_waste(None if seed is None else seed + i),
                        CONTRIBUTION_NAME, contribution_seed)
                else:
                    zkey, _ = contribute(new_zkey(circuit.r1cs, ptau_data), CONTRIBUTION_NAME,
                                         contribution_seed)
                tick(f"{name}: keys made (domain 2^{zkey.power}, one contribution)")
                d = tmp / name
                d.mkdir()
                save_zkey(d / ZKEY_FILE, zkey)
                save_json(d / VK_FILE, verification_key_json(zkey))
                save_json(d / CIRCUIT_FILE, {
                    "format": KEYS_FORMAT, "statement": statement,
                    "shape": _shape_to_json(shape), "constraints": circuit.constraints,
                    "wires": circuit.r1cs.n_wires, "matrix_hash": circuit.matrix_hash,
                    "development_key": ptau is None})
                entries.append(ShapeEntry(name, shape.N, shape.K, circuit.constraints,
                                          circuit.matrix_hash, file_sha256(d / VK_FILE)))
                tick(f"{name}: written")
            save_json(tmp / KEYSET_FILE, Manifest(statement, tuple(entries)).to_json())
            _replace_dir(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return cls.load(out)

    @classmethod
    def load(cls, directory: PathLike, threads: Optional[int] = None,
             shapes: Optional[Union[str, Sequence[str]]] = None) -> "MarginProver":
        """Load a key set written by :meth:`setup` (``zkmargin setup margin``), or a
        single key directory as a one-shape set; every shape is cross-checked.
        ``shapes`` (names or a comma-separated string) loads only those shapes of the
        set (MarginKeyError for a shape the set lacks)."""
        d = Path(directory)
        if (d / KEYSET_FILE).exists():
            manifest = read_manifest(d)
            entries = list(manifest.shapes)
            if shapes is not None:
                wanted = parse_shapes(shapes)
                have = {e.name for e in entries}
                for name in wanted:
                    if name not in have:
                        raise MarginKeyError(f"{d / KEYSET_FILE}: no shape {name!r} (the set "
                                             f"has {', '.join(e.name for e in entries)})")
                entries = [e for e in entries if e.name in wanted]
            keys = [_load_shape(d / e.name, manifest.statement, e, threads) for e in entries]
            return cls(manifest.statement, keys, d)
        if not (d / CIRCUIT_FILE).exists():
            raise MarginKeyError(f"{d}: not a key directory (no {KEYSET_FILE} or "
                                 f"{CIRCUIT_FILE})")
        one = _load_shape(d, None, None, threads)
        statement = load_json_file(d / CIRCUIT_FILE)["statement"]
        return cls(statement, [one], d)

    @classmethod
    def cached_dev(cls, book: RiskBook, shapes: Union[str, Sequence[str]] = "all", *,
                   statement: str = "full", progress: Optional[Progress] = None
                   ) -> "MarginProver":
        """INSECURE development keys for ``book``'s S, H, k, depths at ``shapes``, made
        once and kept in the user's cache (``$XDG_CACHE_HOME/zkmargin``): for the demo
        and benchmarks.  Keys that no longer match the circuit (or are damaged) are
        made again."""
        names = parse_shapes(shapes)
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zkmargin"
        tag = "-".join(str(v) for v in (book.S, book.H, book.k, book.depth_instruments,
                                         book.depth_collateral))
        directory = cache / f"dev-keyset-{statement}-{tag}-{'-'.join(names)}"
        try:
            prover = cls.load(directory)
            if prover.shapes == names and prover.statement == statement:
                return prover
        except (MarginKeyError, OSError) as exc:
            if directory.exists():
                log.warning("rebuilding cached development keys %s: %s", directory, exc)
        return cls.setup(book, directory, names, statement=statement, progress=progress)

    # -- proving -----------------------------------------------------------------------
    def _check(self, account: Account, book: RiskBook) -> ShapeKeys:
        if not isinstance(account, Account):
            raise TypeError(f"account: expected an Account, not {type(account).__name__}")
        if account.salt is None:
            raise ValueError("account.salt: needed for the account commitment of a proof "
                             "(a random field element chosen by the account owner)")
        keys = self.select(account)
        keys.shape.check_book(book)
        return keys

    def _witness(self, keys: ShapeKeys, account: Account, book: RiskBook
                 ) -> tuple["MarginReport", Any, float]:
        from engine.margin import compute_margin

        t0 = time.perf_counter()
        report = compute_margin(account, book)
        w = _circuit(keys.shape, self.statement).witness_limbs(book, account)
        return report, w, time.perf_counter() - t0

    def _finish(self, keys: ShapeKeys, report: "MarginReport", w: Any,
                t_witness: float) -> MarginResult:
        t1 = time.perf_counter()
        proof = keys.prover.prove(w)
        t2 = time.perf_counter()
        names = _public_names(self.statement)
        named = {n: _decode_signed(v) if n not in ("market_commitment", "account_commitment")
                 else v for n, v in zip(names, proof.public)}
        return MarginResult(self.statement, keys.name, report, proof.to_json(),
                            proof.public_json(), named,
                            {"witness": t_witness, "prove": t2 - t1, **proof.timings})

    def prove(self, account: Account, book: RiskBook) -> MarginResult:
        """Prove ``account``'s margin on ``book`` at the smallest shape holding it; the
        account needs its ``salt``."""
        keys = self._check(account, book)
        return self._finish(keys, *self._witness(keys, account, book))

    def prove_many(self, accounts: Iterable[Account], book: RiskBook,
                   workers: Optional[int] = None, schedule: Optional[str] = None, *,
                   ray: bool = False) -> list[Union[MarginResult, MarginFailure]]:
        """Prove a batch: one entry per account, in input order, a :class:`MarginResult`
        or a :class:`MarginFailure` naming the account's index and the reason (the other
        accounts are still proven).  Each result equals what :meth:`prove` gives for
        that account (same shape, public inputs and report; the proof's randomness
        differs).

        ``schedule``: ``"pipelined"`` builds the next account's witness (Python, holding
        the GIL) in a second thread while the current proof runs in native code (which
        releases the GIL and uses every core); ``"sequential"`` proves one after
        another.  The default is :data:`PROVE_MANY_SCHEDULE`, chosen by measurement
        (``benchmarks/bench_margin_circuit.py`` times both): with the native witness
        (a few ms at n4k2) the two measure the same within noise, so the default is the
        simpler sequential one.  ``workers`` is accepted
        for compatibility and ignored in process: two concurrent proofs on two cores
        measured slower than one after another.  With ``ray=True`` the batch runs on the
        Ray actors of :meth:`on_ray` (``workers`` actors when they are first made).
        """
        if ray:
            return self.on_ray(workers).prove_many(accounts, book)
        schedule = schedule or PROVE_MANY_SCHEDULE
        if schedule not in ("pipelined", "sequential"):
            raise ValueError(f"schedule: {schedule!r} is not 'pipelined' or 'sequential'")
        items = list(accounts)
        out: list[Union[MarginResult, MarginFailure]] = []

        def stage1(i: int) -> Any:
            try:
                keys = self._check(items[i], book)
                return keys, self._witness(keys, items[i], book)
            except _ACCOUNT_ERRORS as exc:
                return MarginFailure(i, str(exc))

        def stage2(i: int, first: Any) -> Union[MarginResult, MarginFailure]:
            if isinstance(first, MarginFailure):
                return first
            keys, (report, w, t_witness) = first
            try:
                return self._finish(keys, report, w, t_witness)
            except _ACCOUNT_ERRORS as exc:
                return MarginFailure(i, str(exc))

        if schedule == "sequential" or len(items) <= 1:
            return [stage2(i, stage1(i)) for i in range(len(items))]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="witness") as pool:
            pending = pool.submit(stage1, 0)
            for i in range(len(items)):
                first = pending.result()
                if i + 1 < len(items):
                    pending = pool.submit(stage1, i + 1)  # overlaps the proof below
                out.append(stage2(i, first))
        return out


    def on_ray(self, actors: Optional[int] = None, **options: Any) -> "RayMarginProver":
        """This key set on Ray actors (:class:`zkmargin.ray_prover.RayMarginProver`),
        made on first use and kept: each actor loads the key set once from
        ``self.directory`` (the same path on every node).  ``actors`` defaults to one
        per cluster CPU; ``options`` go to RayMarginProver (``address``,
        ``num_cpus_per_actor``, ``threads_per_actor``).  Without Ray installed:
        RayUnavailable (a ValueError) saying how to install the extra."""
        from zkmargin.ray_prover import RayMarginProver

        on_ray = getattr(self, "_on_ray", None)
        if on_ray is None:
            if self.directory is None:
                raise MarginKeyError("on_ray: the key set has no directory to load from")
            on_ray = RayMarginProver(self.directory, actors, loader=type(self).load,
                                     failure=MarginFailure, **options)
            self._on_ray = on_ray
        return on_ray


#: the errors that fail one account of a batch (bad input, a key that cannot prove it)
_ACCOUNT_ERRORS = (ValueError, TypeError, ArithmeticError)
#: prove_many's default schedule (see :meth:`MarginProver.prove_many`)
PROVE_MANY_SCHEDULE = "sequential"


def _replace_dir(new: Path, dest: Path) -> None:
    """Rename ``new`` onto ``dest`` (an old ``dest`` is moved aside, then removed)."""
    if not dest.exists():
        os.rename(new, dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".old", dir=dest.parent))
    os.rmdir(old)
    os.rename(dest, old)
    try:
        os.rename(new, dest)
    except BaseException:
        os.rename(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def verify(vk: dict[str, Any], public: Sequence[Any], proof: dict[str, Any], *,
           attestations: Optional[Sequence[Any]] = None,
           oracles: Optional[Sequence[str]] = None, threshold: Optional[int] = None,
           chain_id: Optional[int] = None, verifier: Optional[str] = None,
           max_age: Optional[int] = None, now: Optional[int] = None) -> bool:
    """Groth16 verification of a margin proof, in snarkjs's order (vk, public, proof).

    With ``attestations`` (``verifier.attestation.Attestation`` objects or their JSON)
    the proof must also be on a market that the gate contract would accept: at least
    ``threshold`` distinct ``oracles`` signed its ``market_commitment`` (public input 0)
    for ``chain_id`` and the gate at ``verifier``, and, with ``max_age``, its book is
    at most that many seconds old at ``now`` (default: the clock); the same digests
    and rule as ``MarginGate.verifyMargin`` (``verifier.attestation.check_market``).
    Never raises on bad input: anything invalid is a rejection (False).
    """
    from verifier.groth16 import verify as groth16_verify

    try:
        if attestations is not None and not market_attested(
                public, attestations, oracles=oracles, threshold=threshold,
                chain_id=chain_id, verifier=verifier, max_age=max_age, now=now).ok:
            return False
        return bool(groth16_verify(vk, list(public), proof))
    except Exception:  # noqa: BLE001 - the contract: malformed input is a rejection
        return False


def market_attested(public: Sequence[Any], attestations: Sequence[Any], *,
                    oracles: Optional[Sequence[str]], threshold: Optional[int],
                    chain_id: Optional[int], verifier: Optional[str],
                    max_age: Optional[int] = None, now: Optional[int] = None) -> Any:
    """The gate's market rule for a proof's public inputs (an ``AttestationCheck``,
    whose ``reason`` says why not).  Raises ValueError when the rule is incomplete or
    an attestation is malformed."""
    from verifier.attestation import Attestation, attestation_from_json, check_market

    if oracles is None or threshold is None or chain_id is None or verifier is None:
        raise ValueError("attestations: oracles, threshold, chain_id and verifier are needed")
    atts = [a if isinstance(a, Attestation) else attestation_from_json(a, f"attestations[{i}]")
            for i, a in enumerate(attestations)]
    commitment = int(str(list(public)[0]), 10)
    return check_market(commitment, atts, oracles=oracles, threshold=threshold,
                        chain_id=chain_id, verifier=verifier, max_age=max_age, now=now)


@dataclass(frozen=True)
class DirVerdict:
    """The verdict on a proof directory: accepted or not, why not, at which shape."""

    accept: bool
    reason: str
    shape: str


def verify_proof_dir(keyset: PathLike, directory: PathLike, backend: str = "auto"
                     ) -> DirVerdict:
    """Verify the proof in ``directory`` (``proof.json``, ``public.json``,
    ``statement.json`` as ``zkmargin prove`` writes them) with the vk of its shape in
    ``keyset``.  A proof whose statement names another statement, a shape the set lacks
    or another vk (by ``vk_sha256``) is rejected; unreadable files raise ValueError
    (MarginKeyError or the verifier's input errors) naming the file."""
    from verifier.groth16 import check
    from verifier.keys import load_proof, load_public, load_vk

    ks, d = Path(keyset), Path(directory)
    manifest = read_manifest(ks)
    stmt_path = d / STATEMENT_FILE
    stmt = load_json_file(stmt_path)
    if not isinstance(stmt, dict) or not all(isinstance(stmt.get(k), str)
                                             for k in ("shape", "statement", "vk_sha256")):
        raise MarginKeyError(f"{stmt_path}: expected {{\"shape\", \"statement\", "
                             "\"vk_sha256\"}} strings")
    name = stmt["shape"]
    if stmt["statement"] != manifest.statement:
        return DirVerdict(False, f"{stmt['statement']!r} statement, the key set proves "
                          f"{manifest.statement!r}", name)
    try:
        entry = manifest.entry(name)
    except KeyError:
        return DirVerdict(False, f"shape {name!r} is not in the key set", name)
    vk_path = ks / name / VK_FILE
    if not vk_path.exists():
        raise MarginKeyError(f"{vk_path}: missing")
    if file_sha256(vk_path) != entry.vk_sha256:
        raise MarginKeyError(f"{vk_path}: its sha256 is not the vk_sha256 of {KEYSET_FILE}")
    if stmt["vk_sha256"] != entry.vk_sha256:
        return DirVerdict(False, f"proved with another verification key than the key set's "
                          f"{name}", name)
    verdict = check(load_vk(vk_path), load_public(d / "public.json"),
                    load_proof(d / "proof.json"), backend=backend)
    return DirVerdict(bool(verdict.accept), verdict.reason or "", name)


def statement_json(prover: MarginProver, result: MarginResult) -> dict[str, str]:
    """``statement.json`` of a proof: its shape, statement and the vk's sha256."""
    return {"shape": result.shape, "statement": result.statement,
            "vk_sha256": prover.shape_keys(result.shape).vk_sha256}
