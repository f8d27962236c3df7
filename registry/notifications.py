"""Placeholder: e-mails after status changes (replaced by the real module)."""


def status_changed(change_id: int) -> None:
    """Called by workflow.apply after the transaction that wrote StatusChange ``change_id`` commits."""
