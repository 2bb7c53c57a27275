"""获奖证书: a PNG drawn like the hackathon's 结项证书, with its fonts, page, frame, colours and
footer (hackathon.certificates finds the CJK font and says when there is none; its own `cjk_font`
and `draw_centered` draw the text here too)."""

from django.utils.translation import gettext as _

from hackathon.certificates import (
    BRAND,
    MUTED,
    TEXT,
    WIDTH,
    blank_page,
    cjk_font,
    draw_centered,
    finished_png,
    fit_text,
)

__all__ = ["render_certificate_png"]


def render_certificate_png(certificate, verify_url: str) -> bytes:
    award = certificate.award
    contest = award.contest
    submission = award.submission
    image, draw = blank_page()
    usable = WIDTH - 280

    heading = str(contest.edition) if contest.edition_id else _("PaddlePaddle community")
    draw_centered(draw, 150, fit_text(draw, heading, cjk_font(44), usable), cjk_font(44), MUTED)
    draw_centered(draw, 220, _("Certificate of Award"), cjk_font(88, "bold"), BRAND)
    draw_centered(
        draw,
        390,
        fit_text(draw, certificate.name, cjk_font(64, "bold"), usable),
        cjk_font(64, "bold"),
        TEXT,
    )
    body = _("for “%(title)s” in %(contest)s · %(direction)s") % {
        "title": submission.title,
        "contest": contest.name,
        "direction": submission.direction.name,
    }
    draw_centered(draw, 520, fit_text(draw, body, cjk_font(40), usable), cjk_font(40), TEXT)
    draw_centered(
        draw,
        620,
        fit_text(draw, award.prize.name, cjk_font(72, "bold"), usable),
        cjk_font(72, "bold"),
        BRAND,
    )
    return finished_png(image, draw, certificate, verify_url)
