"""Tables of the contracts feature: checked contracts, a client's terms, scope items, invoices.

Owned by ``clientguard.contracts``; the schema lives in migrations ``0002_contracts``,
``0003_contracts_voids``, ``0004_contracts_refunds``, ``0005_contracts_term_origins``,
``0006_contracts_fixed_late_fee`` and ``0008_contracts_fee_cap_sum`` (branch ``contracts`` off
``0001_core``). Dates of invoices are ISO strings (``YYYY-MM-DD``) because they are
calendar dates, not instants, and must not move with time zones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clientguard.store.models import Base


class ContractRow(Base):
    """One checked contract file of a client, with the checker's verdict as JSON."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    fmt: Mapped[str] = mapped_column(String(10))
    lang: Mapped[str] = mapped_column(String(5))
    rules_version: Mapped[str] = mapped_column(String(60))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    added_at: Mapped[datetime]


class ContractTermsRow(Base):
    """The terms the client is held to (one row per client); ``source`` says who set them."""

    __tablename__ = "contract_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), unique=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id", ondelete="SET NULL"))
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    revision_limit: Mapped[int | None] = mapped_column(Integer)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    payment_due_days: Mapped[int | None] = mapped_column(Integer)
    working_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    late_fee_percent_per_day: Mapped[float | None] = mapped_column(Float)
    late_fee_cap_percent: Mapped[float | None] = mapped_column(Float)
    #: a late fee that is a sum per day or week ({"amount", "per", "currency"}), migration
    #: ``0006_contracts_fixed_late_fee``; None for a rate, or none (left out of the
    #: evidence log's payload while None: rows logged before it stay as logged)
    late_fee_fixed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: a percentage's cap written as a sum ({"amount", "currency"}: "0,1 % в день, но не более
    #: 10 000 рублей"), migration ``0008_contracts_fee_cap_sum``; left out of the evidence
    #: log's payload while None, like ``late_fee_fixed``
    late_fee_cap_sum: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime]


class TermOriginRow(Base):
    """Where one stored term came from: set by hand, or read off a contract by which reader.

    One row per term of a terms row (``field``: a ``ContractTerms`` field name or
    ``late_fee_cap_percent``); a term with no row was stored before origins were kept.
    ``origin`` is ``manual`` (``contract set``, a case file) or ``contract``; ``reader``
    the :func:`~clientguard.contracts.terms.reader_version` that read it (contract only).
    Keyed by the terms row, not the client, so a ``clients merge`` that drops the
    absorbed client's terms drops their origins with them (cascade). Not on the evidence
    log: the terms themselves are, with every change; this says only which of them
    ``contract reread`` may replace. Migration ``0005_contracts_term_origins``.
    """

    __tablename__ = "contract_term_origins"

    terms_id: Mapped[int] = mapped_column(
        ForeignKey("contract_terms.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    origin: Mapped[str] = mapped_column(String(10))
    reader: Mapped[str | None] = mapped_column(String(60))
    set_at: Mapped[datetime]


class ScopeItemRow(Base):
    """One deliverable of the client's scope, in contract order."""

    __tablename__ = "scope_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class InvoiceRow(Base):
    """An invoice issued to a client; ``number`` is the user's own id, unique per client."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("client_id", "number", name="uq_invoices_client_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    issued: Mapped[str] = mapped_column(String(10))
    due: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]


class InvoicePaymentRow(Base):
    """One (possibly partial) payment of an invoice."""

    __tablename__ = "invoice_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    amount: Mapped[float] = mapped_column(Float)
    paid_on: Mapped[str] = mapped_column(String(10))


class InvoiceVoidRow(Base):
    """A void of an invoice (``payment_id`` None) or of one of its payments, with the reason.

    Invoices and payments are append-only (the evidence log hashes every column), so a
    mistyped one is corrected by a row of its own here, never by editing it; readers leave
    voided invoices and payments out of every figure (``contracts.repo``).
    Migration ``0003_contracts_voids``.
    """

    __tablename__ = "invoice_voids"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_payments.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime]


class InvoiceAdjustmentRow(Base):
    """Money given back on an invoice or an amount taken off it, or the void of one of those.

    ``kind``: ``refund`` (возврат: money returned to the client; what was paid drops, and
    what the invoice asks drops with it, so nothing becomes due again), ``credit``
    (уменьшение суммы счёта, a credit note or a discount agreed after the invoice: what is
    due drops; the invoice stays), or ``void`` (a refund or credit recorded by mistake,
    named by ``void_of``; ``amount`` None). Append-only and chained in the evidence log
    like payments; readers apply them in ``contracts.repo``. ``date`` is the day it
    happened (ISO), ``recorded_at`` when it was written. Migration ``0004_contracts_refunds``.
    """

    __tablename__ = "invoice_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[float | None] = mapped_column(Float)
    date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    void_of: Mapped[int | None] = mapped_column(ForeignKey("invoice_adjustments.id", ondelete="CASCADE"))
    recorded_at: Mapped[datetime]
