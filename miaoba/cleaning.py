"""Clean text on the way in, and make stored text safe on the way out (issue 12 §2, §5).

Every way text enters the product (forms, ledger imports, commands) passes through
`clean_text`; fields that hold a code or a number (编号, 文号, 身份证号, 联系电话, counts) through
`clean_code`. People's identifiers are normalised one way wherever they are typed, searched or
matched (`normalise_name`, `name_key`, `normalise_phone`, `normalise_id_number`).

On the way out, `xml_safe` removes what XML 1.0 cannot hold, so text stored before this module
existed (a vertical tab pasted into 主要内容) cannot make an xlsx, the Word report or a page fail.

Why these characters: XML 1.0 (§2.2 Char) allows only tab, LF and CR below U+0020 and excludes
U+FFFE/U+FFFF and lone surrogates; openpyxl refuses C0 controls with IllegalCharacterError and
python-docx with "All strings must be XML compatible". Excel itself writes a control character
in cell text as the escape `_x000B_` (ECMA-376 Part 1, §22.9.2.19 ST_Xstring), and a literal
"_x000B_" typed by a person as `_x005F_x000B_`; `unescape_excel` undoes both.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls other than tab and LF, DEL, C1 controls, and what XML 1.0 cannot hold at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Invisible format characters that make two equal-looking names differ (zero-width space,
# zero-width joiners, byte-order mark, soft hyphen). Removed from keys used for matching only.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff·]")


def unescape_excel(text: str) -> str:
    """Undo Excel's `_xHHHH_` escapes: "a_x000B_b" → "a\\x0bb", "_x005F_x000B_" → "_x000B_".

    `_x005F_` is the escaped underscore, so "_x005F_x000B_" is the literal text "_x000B_".
    """
    if "_x" not in text:
        return text
    # Matches do not overlap, so "_x005F_" consumes the underscore that would have started the
    # escape after it: "_x005F_x000B_" → "_" + "x000B_".
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean_text(value, *, excel: bool = False) -> str:
    """Return `value` as text fit to store: controls removed, line ends as LF, ends stripped.

    Tab and LF stay; CR LF and CR become LF. With `excel=True` (cell text read from an xlsx),
    `_xHHHH_` escapes are undone first, so an escaped control character is removed too.
    None gives "". Example: "主要内容\\x0b续" → "主要内容续".
    """
    if value is None:
        return ""
    text = str(value)
    if excel:
        text = unescape_excel(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def clean_code(value, *, excel: bool = False) -> str:
    """Return a code or number typed in any width as plain text: `clean_text` plus NFKC.

    NFKC turns full-width digits, letters and signs into ASCII ("１３８" → "138", "Ｘ" → "X",
    "［2020］" → "[2020]") and leaves Chinese characters and 〔〕 as they are.
    """
    return unicodedata.normalize("NFKC", clean_text(value, excel=excel)).strip()


def xml_safe(value) -> str:
    """Return `value` as text any xlsx, docx or HTML writer accepts (controls removed).

    For OUTPUT of stored text: unlike `clean_text` it keeps leading and trailing spaces and
    CR, so what was stored is shown as stored, minus what XML cannot hold. None gives "".
    """
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


# --- People (issue 12 §5) -----------------------------------------------------------------------


def normalise_name(value) -> str:
    """Return a person's name as stored: NFKC, no spaces between Chinese characters.

    "胡　芳" (full-width space) and "冉 芳" become "胡芳" and "冉芳"; a name in Latin letters
    keeps single spaces between its words ("Zhang  San" → "Zhang San").
    """
    text = _INVISIBLE.sub("", clean_code(value))
    words = _SPACES.split(text)
    out = words[0] if words else ""
    for word in words[1:]:
        if not word:
            continue
        joint = out[-1:] + word[:1]
        # Keep a space only between two non-Chinese characters (Latin names).
        out += word if _CJK.search(joint) else " " + word
    return out


def name_key(value) -> str:
    """Return the key two spellings of one name share: NFKC, no spaces at all.

    "胡　芳", "胡 芳" and "胡芳" share "胡芳". Used to match people, never shown; the database
    side of a match removes the same spaces (`disputes.services.name_key_expression`).
    """
    return _SPACES.sub("", _INVISIBLE.sub("", clean_code(value)))


_PHONE_JUNK = re.compile(r"[\s\-‐‑‒–—−().（）]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area codes: 010 and 020–029 have three digits, all others four (023 is 重庆, 0551 合肥).
_LANDLINE = re.compile(r"^(0[12]\d|0[3-9]\d{2})(\d{7,8})$")


def normalise_phone(value) -> str:
    """Return a phone number in the one form the product stores and matches.

    A mobile typed as "+86 138-0013-8000", "0086 13800138000", "138 0013 8000" or in
    full-width digits becomes "13800138000". A landline with its area code becomes
    "023-59201234" (from "023 59201234", "(023)59201234", "02359201234"; three-digit area
    codes are 010 and 020–029, the others have four: "0551-1234567"); without one, its
    digits ("59201234"). Anything else is returned cleaned but otherwise as typed, for the
    validator to refuse with its message.
    """
    text = clean_code(value)
    if not text:
        return ""
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13 and _MOBILE.match(digits[2:]):
        digits = digits[2:]
    if _MOBILE.match(digits):
        return digits
    landline = _LANDLINE.match(digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    if digits.isdigit() and 7 <= len(digits) <= 8:
        return digits
    return text


def normalise_id_number(value) -> str:
    """Return a resident ID number as stored: NFKC (full-width digits), no spaces, X upper-case.

    "５００１０１１９９００１０１１２３ｘ" and "500101 19900101 123x" become
    "50010119900101123X". Validity is checked by `disputes.validators.validate_id_number`.
    """
    return _SPACES.sub("", clean_code(value)).upper()


# --- Every save --------------------------------------------------------------------------------

_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _text_fields(model) -> tuple[str, ...]:
    """Return the names of `model`'s text columns when it belongs to this project, else ()."""
    if model not in _TEXT_FIELDS:
        from django.apps import apps
        from django.conf import settings
        from django.db import models

        try:
            path = apps.get_app_config(model._meta.app_label).path
        except LookupError:
            path = ""
        own = str(path).startswith(str(settings.BASE_DIR)) and "site-packages" not in str(path)
        _TEXT_FIELDS[model] = (
            tuple(
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            )
            if own
            else ()
        )
    return _TEXT_FIELDS[model]


def remove_control_characters(sender, instance, **kwargs) -> None:
    """Take control characters out of every text field of a project model before it is saved.

    Connected to `pre_save` for every model (`MiaobaConfig.ready`), so a form, an import, a
    command or the admin cannot store a character that would make an xlsx, the Word report or
    a page fail later. Only what `xml_safe` removes is removed: spaces, tabs and line ends
    stay as typed. Saves that bypass signals (`bulk_create`, `update`) clean their input
    through `clean_text` on the way in (the ledger reader).
    """
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str) and _CONTROL.search(value):
            setattr(instance, name, _CONTROL.sub("", value))
