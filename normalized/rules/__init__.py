"""The cross-check rules, one module per family; importing this package registers them all."""

from normalized.rules import across, cashflow, cross, footing, identities, members, notes, rows  # noqa: F401
