"""The longest texts people may write, in characters. Every text field has one of these as its
`max_length` (so every ModelForm and `full_clean` enforce it, and forms show `maxlength`), and the
transitions check the texts they take: an account cannot hand the renderer or the database
megabytes of text (tests/architecture/test_limits.py checks every model)."""

NOTE = 2_000  # notes on a change, reasons, answers, short comments
TEXT = 20_000  # statements, reports, reviews, descriptions, objections
DOCUMENT = 200_000  # post bodies and imported task documents
