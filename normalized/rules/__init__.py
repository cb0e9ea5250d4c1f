"""The cross-check rules, one module per family; importing this package registers them all."""

from normalized.rules import across, cashflow, cross, footing, identities, members, notes, participants, rows  # noqa: F401
