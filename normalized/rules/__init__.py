"""The cross-check rules, one module per family; importing this package registers them all."""

from normalized.rules import (  # noqa: F401
    across,
    cashflow,
    certainty,
    cross,
    footing,
    identities,
    members,
    notes,
    participants,
    rows,
)
