"""结项证书: a PNG drawn with Pillow.

CJK text needs a CJK font. It is found, in this order, at:
1. the path in the environment variable PFCC_CJK_FONT (a .ttf/.otf/.ttc; for a .ttc collection
   add the face index after a colon, e.g. /path/NotoSansCJK-Regular.ttc:2);
2. Debian's fonts-noto-cjk package (/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc, face 2 =
   Simplified Chinese), which .ci/run installs;
3. whatever fontconfig answers for "Noto Sans CJK SC" (`fc-match`).
Without any, the certificate cannot be drawn and the page says so (CertificateFontMissing).
"""

import io
import os
import shutil
import subprocess
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont

from .models import format_stars

NOTO_DIR = "/usr/share/fonts/opentype/noto"
KNOWN_FONTS = {
    "regular": [
        (f"{NOTO_DIR}/NotoSansCJK-Regular.ttc", 2),
        (f"{NOTO_DIR}/NotoSerifCJK-Regular.ttc", 2),
    ],
    "bold": [(f"{NOTO_DIR}/NotoSansCJK-Bold.ttc", 2), (f"{NOTO_DIR}/NotoSerifCJK-Bold.ttc", 2)],
}
WIDTH, HEIGHT = 1754, 1240  # A4 landscape at 150 dpi
BRAND = (41, 50, 225)
TEXT = (31, 35, 40)
MUTED = (89, 99, 110)


class CertificateFontMissing(RuntimeError):
    pass


def _parse(spec: str) -> tuple[str, int]:
    path, _sep, index = spec.partition(":") if spec.count(":") == 1 else (spec, "", "")
    return path, int(index) if index.isdigit() else 0


@lru_cache(maxsize=4)
def find_font(weight: str = "regular") -> tuple[str, int]:
    configured = os.environ.get("PFCC_CJK_FONT", "")
    if configured:
        path, index = _parse(configured)
        if os.path.exists(path):
            return path, index
    for path, index in KNOWN_FONTS[weight]:
        if os.path.exists(path):
            return path, index
    fc_match = shutil.which("fc-match")
    if fc_match:
        style = "Bold" if weight == "bold" else "Regular"
        try:
            answer = subprocess.run(
                [fc_match, "-f", "%{file}:%{index}", f"Noto Sans CJK SC:style={style}"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            answer = ""
        path, index = _parse(answer)
        if path and os.path.exists(path) and "CJK" in path:
            return path, index
    raise CertificateFontMissing(
        "No CJK font found for certificates: install Debian's fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) or set PFCC_CJK_FONT=/path/to/font.ttc:index."
    )


def cjk_font(size: int, weight: str = "regular"):
    path, index = find_font(weight)
    return ImageFont.truetype(path, size=size, index=index)


def draw_centered(draw, y, text, font, fill):
    width = draw.textlength(text, font=font)
    draw.text(((WIDTH - width) / 2, y), text, font=font, fill=fill)


def _wrap(draw, text, font, max_width):
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > max_width and line:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def certificate_shown(certificate) -> tuple:
    """Everything `render_certificate_png` draws besides the code: the kept picture is drawn
    again when any of it changes."""
    result = certificate.result
    person = result.person
    return (
        person.display_name,
        person.github,
        result.completed_tasks,
        result.task_list,
        str(result.stars),
        str(result.activity),
        result.is_open_source_star,
    )


def render_certificate_png(certificate, verify_url: str) -> bytes:
    result = certificate.result
    person = result.person
    edition = result.activity  # an edition, or a standalone activity
    image, draw = blank_page()
    draw_centered(draw, 150, _("PaddlePaddle Hackathon"), cjk_font(44), MUTED)
    draw_centered(draw, 220, _("Certificate of Completion"), cjk_font(88, "bold"), BRAND)
    name = f"{person.display_name} (@{person.github})"
    draw_centered(draw, 400, name, cjk_font(64, "bold"), TEXT)
    body = ngettext(
        "completed %(count)s task (No.%(tasks)s), %(stars)s stars in all, in %(edition)s.",
        "completed %(count)s tasks (No.%(tasks)s), %(stars)s stars in all, in %(edition)s.",
        result.completed_tasks,
    ) % {
        "count": result.completed_tasks,
        "tasks": result.task_list,
        "stars": format_stars(result.stars),
        "edition": str(edition),
    }
    font = cjk_font(40)
    y = 540
    for line in _wrap(draw, body, font, WIDTH - 360):
        draw_centered(draw, y, line, font, TEXT)
        y += 60
    if result.is_open_source_star:
        draw_centered(draw, y + 20, _("飞桨开源之星"), cjk_font(48, "bold"), BRAND)
    return finished_png(image, draw, certificate, verify_url)


# The page, its frame and its footer, shared with judging.certificates (its 获奖证书 is drawn
# like the 结项证书).


def blank_page():
    """A white page with the certificates' double frame, and its drawing context."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, WIDTH - 40, HEIGHT - 40), outline=BRAND, width=8)
    draw.rectangle((64, 64, WIDTH - 64, HEIGHT - 64), outline=BRAND, width=2)
    return image, draw


def fit_text(draw, text, font, max_width) -> str:
    """The text, cut with an ellipsis when it would not fit on one line."""
    if draw.textlength(text, font=font) <= max_width:
        return text
    while text and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1]
    return text + "…"


def finished_png(image, draw, certificate, verify_url: str) -> bytes:
    """The footer (date of issue, code, where to verify it) drawn, the page as PNG bytes."""
    issued = timezone.localtime(certificate.issued_at).strftime("%Y-%m-%d")
    small = cjk_font(28)
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
        fit_text(draw, _("Verify at %(url)s") % {"url": verify_url}, small, WIDTH - 280),
        font=small,
        fill=MUTED,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
