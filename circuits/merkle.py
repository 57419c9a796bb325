"""Native binary Poseidon Merkle trees (docs/spec/STATEMENT.md, "Commitments").

A tree of depth ``D`` has ``2^D`` leaf slots; leaf ``i`` sits at position ``i`` and
missing leaves are the field element 0.  A node is ``H(left, right)`` (Poseidon of
arity 2).  A path for leaf ``i`` is the list of siblings from the leaf level up and
the bits of ``i``, least significant first: bit ``l`` = 1 means the node at level
``l`` is a right child, i.e. ``node = H(sibling, node)``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from circuits.field import R, CircuitError
from circuits.poseidon import poseidon

MAX_DEPTH = 64


@lru_cache(maxsize=None)
def zero_hashes(depth: int) -> tuple[int, ...]:
    """``z[0] = 0``, ``z[l+1] = H(z[l], z[l])``: roots of empty subtrees, l = 0..depth."""
    z = [0]
    for _ in range(depth):
        z.append(poseidon([z[-1], z[-1]]))
    return tuple(z)


def _check(leaves: Sequence[int], depth: int) -> None:
    if not 0 <= depth <= MAX_DEPTH:
        raise CircuitError(f"merkle: depth {depth} outside 0..{MAX_DEPTH}")
    if len(leaves) > (1 << depth):
        raise CircuitError(f"merkle: {len(leaves)} leaves do not fit a tree of depth {depth}")


def merkle_levels(leaves: Sequence[int], depth: int) -> list[list[int]]:
    """All populated levels, leaves first; absent nodes are the empty-subtree roots."""
    _check(leaves, depth)
    zeros = zero_hashes(depth)
    level = [int(x) % R for x in leaves] or [0]
    levels = [level]
    for l in range(depth):
        if len(level) % 2:
            level = level + [zeros[l]]
        level = [poseidon([level[i], level[i + 1]]) for i in range(0, len(level), 2)]
        levels.append(level)
    return levels


def merkle_root(leaves: Sequence[int], depth: int) -> int:
    """Root of the depth-``depth`` tree whose first leaves are ``leaves`` (rest 0)."""
    return merkle_levels(leaves, depth)[-1][0]


def merkle_path(leaves: Sequence[int], depth: int, index: int) -> tuple[list[int], list[int]]:
    """(siblings bottom-up, index bits LSB first) of leaf ``index``."""
    if not 0 <= index < (1 << depth):
        raise CircuitError(f"merkle: index {index} outside a tree of depth {depth}")
    levels = merkle_levels(leaves, depth)
    zeros = zero_hashes(depth)
    siblings, bits = [], []
    for l in range(depth):
        pos = (index >> l) ^ 1
        level = levels[l]
        siblings.append(level[pos] if pos < len(level) else zeros[l])
        bits.append((index >> l) & 1)
    return siblings, bits


def merkle_root_from_path(leaf: int, siblings: Sequence[int], bits: Sequence[int]) -> int:
    """Fold a path upward: ``node = H(node, sib)`` if bit = 0 else ``H(sib, node)``."""
    if len(siblings) != len(bits):
        raise CircuitError("merkle: siblings and index bits differ in length")
    node = int(leaf) % R
    for sib, bit in zip(siblings, bits):
        if bit not in (0, 1):
            raise CircuitError(f"merkle: index bit {bit!r} is not 0 or 1")
        node = poseidon([sib, node] if bit else [node, sib])
    return node


def merkle_verify(leaf: int, siblings: Sequence[int], bits: Sequence[int], root: int) -> bool:
    """True iff the path of ``leaf`` leads to ``root``."""
    return merkle_root_from_path(leaf, siblings, bits) == int(root) % R
