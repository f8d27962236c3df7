"""Placeholder: the inbox counts in the navigation bar (replaced by the real module)."""


def inbox(request) -> dict:
    return {}
