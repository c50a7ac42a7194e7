"""The audit log of every change an admin, a sync run or the system makes."""

from seatbridge.audit.service import record, record_many

__all__ = ["record", "record_many"]
