"""Amounts of money entered by officials: budgets, tranches and payments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from marketplace.errors import DomainError

MAX_AMOUNT = Decimal("9999999999.99")


def yuan(field_name: str, value) -> Decimal:
    """An amount in yuan with two decimals, above zero and within the budget columns."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(field_name, _("Enter an amount in yuan, e.g. 200000.")) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise DomainError(field_name, _("Enter an amount above zero in yuan."))
    return amount
