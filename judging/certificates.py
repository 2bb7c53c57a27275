"""获奖证书: a PNG drawn like the hackathon's 结项证书, with its fonts, page size and colours
(hackathon.certificates finds the CJK font and says when there is none)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from hackathon.certificates import (
    BRAND,
    HEIGHT,
    MUTED,
    TEXT,
    WIDTH,
    CertificateFontMissing,
    find_font,
)

__all__ = ["CertificateFontMissing", "render_certificate_png"]


def _font(size: int, weight: str = "regular"):
    path, index = find_font(weight)
    return ImageFont.truetype(path, size=size, index=index)


def _centered(draw, y, text, font, fill):
    width = draw.textlength(text, font=font)
    draw.text(((WIDTH - width) / 2, y), text, font=font, fill=fill)


def _fit(draw, text, font, max_width) -> str:
    """The text, cut with an ellipsis when it would not fit on one line."""
    if draw.textlength(text, font=font) <= max_width:
        return text
    while text and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1]
    return text + "…"


def render_certificate_png(certificate, verify_url: str) -> bytes:
    award = certificate.award
    contest = award.contest
    submission = award.submission
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, WIDTH - 40, HEIGHT - 40), outline=BRAND, width=8)
    draw.rectangle((64, 64, WIDTH - 64, HEIGHT - 64), outline=BRAND, width=2)
    usable = WIDTH - 280

    heading = str(contest.edition) if contest.edition_id else _("PaddlePaddle community")
    _centered(draw, 150, _fit(draw, heading, _font(44), usable), _font(44), MUTED)
    _centered(draw, 220, _("Certificate of Award"), _font(88, "bold"), BRAND)
    _centered(
        draw, 390, _fit(draw, certificate.name, _font(64, "bold"), usable), _font(64, "bold"), TEXT
    )
    body = _("for “%(title)s” in %(contest)s · %(direction)s") % {
        "title": submission.title,
        "contest": contest.name,
        "direction": submission.direction.name,
    }
    _centered(draw, 520, _fit(draw, body, _font(40), usable), _font(40), TEXT)
    _centered(
        draw, 620, _fit(draw, award.prize.name, _font(72, "bold"), usable), _font(72, "bold"), BRAND
    )
    issued = timezone.localtime(certificate.issued_at).strftime("%Y-%m-%d")
    small = _font(28)
    draw.text(
        (140, HEIGHT - 240), _("Issued on %(date)s") % {"date": issued}, font=small, fill=MUTED
    )
    draw.text(
        (140, HEIGHT - 190),
        _("Certificate code: %(code)s") % {"code": certificate.code},
        font=small,
        fill=MUTED,
    )
    draw.text(
        (140, HEIGHT - 140),
        _fit(draw, _("Verify at %(url)s") % {"url": verify_url}, small, WIDTH - 280),
        font=small,
        fill=MUTED,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
