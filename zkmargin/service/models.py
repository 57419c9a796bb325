"""Request and response bodies of the prover service (pydantic; the OpenAPI schema).

Numbers that must be exact travel as decimal strings, as in the engine's JSON:
amounts and quantities as decimals (``"-2.5"``; JSON integers are accepted too), field
elements (salts, commitments, public inputs, proof coordinates) as decimal integers.
These models check the *structure* of a request (types, lengths, patterns; a failure
is a 422 naming the field); the engine checks the *meaning* (known symbols, bounds,
slots; a failure is a 400 naming the field).
"""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator
from typing_extensions import Annotated

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
INTEGER_PATTERN = r"^[0-9]+$"
MAX_BATCH = 1024

DecimalValue = Union[StrictInt, Annotated[StrictStr, Field(pattern=DECIMAL_PATTERN,
                                                            max_length=120)]]
FieldElement = Annotated[StrictStr, Field(pattern=INTEGER_PATTERN, max_length=80)]
Statement = Literal["full", "health"]
Symbol = Annotated[StrictStr, Field(min_length=1, max_length=128)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Strict):
    """``qty`` contracts of ``instrument`` (negative: short)."""

    instrument: Symbol
    qty: DecimalValue


class CollateralHolding(_Strict):
    """``amount`` units (>= 0) of the collateral asset ``asset``."""

    asset: Symbol
    amount: DecimalValue


class AccountIn(_Strict):
    """An account (MARGIN-MODEL.md section 3): cash in USD, positions, collateral, and the
    salt of its commitment (a field element chosen by the owner; needed to prove)."""

    cash: DecimalValue
    positions: list[Position] = Field(max_length=4096)
    collateral: list[CollateralHolding] = Field(default_factory=list, max_length=4096)
    salt: Optional[Union[StrictInt, FieldElement]] = None
    name: Optional[Annotated[StrictStr, Field(max_length=200)]] = None
    description: Optional[Annotated[StrictStr, Field(max_length=2000)]] = None

    def engine_json(self) -> dict[str, Any]:
        """The engine's account JSON (what :meth:`engine.account.Account.from_json` reads)."""
        return self.model_dump(exclude_none=True)


class ProveRequest(_Strict):
    """Prove one account's margin on the current book, or on the kept book whose
    ``market_commitment`` is given."""

    account: AccountIn
    statement: Optional[Statement] = Field(
        None, description="the statement the keys prove; when given it must match")
    market_commitment: Optional[FieldElement] = Field(
        None, description="prove on this kept book instead of the current one")


class BatchRequest(_Strict):
    """Prove many accounts on one book, in parallel over all workers."""

    accounts: list[AccountIn] = Field(min_length=1, max_length=MAX_BATCH)
    statement: Optional[Statement] = None
    market_commitment: Optional[FieldElement] = None


class Proof(_Strict):
    """A Groth16 proof in snarkjs JSON (affine coordinates with a trailing "1")."""

    pi_a: list[FieldElement] = Field(min_length=3, max_length=3)
    pi_b: list[Annotated[list[FieldElement], Field(min_length=2, max_length=2)]] = Field(
        min_length=3, max_length=3)
    pi_c: list[FieldElement] = Field(min_length=3, max_length=3)
    protocol: Literal["groth16"] = "groth16"
    curve: Literal["bn128"] = "bn128"


class ProveResult(BaseModel):
    """One proven margin statement: the snarkjs proof and public inputs, the engine's
    report, the commitment of the book it was proven on, and timings in seconds."""

    shape: str
    statement: Statement
    proof: Proof
    public: list[str]
    public_named: dict[str, str]
    report: dict[str, Any]
    market_commitment: str
    vk_sha256: str
    timings: dict[str, float]


class BatchFailure(BaseModel):
    """An account of a batch that could not be proven (``error`` names the field)."""

    index: int
    error: str


class BatchResponse(BaseModel):
    """One entry per account, in the order of the request."""

    results: list[Union[ProveResult, BatchFailure]]


class VerifyRequest(_Strict):
    """Check a proof of ``public`` under the verification key of ``shape``."""

    shape: Annotated[StrictStr, Field(max_length=32)]
    proof: Proof
    public: list[FieldElement] = Field(max_length=64)


class VerifyResponse(BaseModel):
    valid: bool


class RiskBookRequest(_Strict):
    """A new current book: a market snapshot (``zkm-snapshot-1``) or a risk book
    (``zkm-1``), exactly one of the two."""

    snapshot: Optional[dict[str, Any]] = None
    book: Optional[dict[str, Any]] = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "RiskBookRequest":
        if (self.snapshot is None) == (self.book is None):
            raise ValueError("give exactly one of snapshot or book")
        return self


class RiskBookInfo(BaseModel):
    """The book now current and the commitments of the books kept (newest first)."""

    market_commitment: str
    time: str
    instruments: int
    collateral: int
    S: int
    H: int
    k: int
    kept: list[str]


class QueueInfo(BaseModel):
    waiting: int
    running: int
    bound: int
    workers: int


class HealthResponse(BaseModel):
    status: Literal["ok"]
    version: str
    backend: str
    statement: str
    shapes: list[str]
    market_commitment: str
    queue: QueueInfo


class ErrorResponse(BaseModel):
    """Every error: ``error`` is one line naming the offending field."""

    error: str
    field: Optional[str] = None
