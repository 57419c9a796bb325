"""The prover layer's one error type."""
from __future__ import annotations


class ProverError(ValueError):
    """Bad input to the prover layer: a malformed, truncated or mismatched file or
    argument.  The message is one line and names the offending file or field."""
