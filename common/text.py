"""Small text helpers shared by importers, forms and middleware."""

NUL = "\x00"


def without_nul(value):
    """The value with every NUL character removed, inside strings, lists and dict keys and
    values too (PostgreSQL refuses NUL in text; no person means one)."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(item) for item in value]
    return value
