"""Pinyin sort keys (拼音排序) for names of people, units and villages.

Chinese readers expect names in pinyin order (安娜, 陈晨, 李四, 欧阳, 王五, 张三, 赵六), not in
the order of their code points. The key is computed with the `pypinyin` library and stored in
a column beside the name (`name_pinyin`), so lists sort the same on SQLite and PostgreSQL
whatever the server's collation: the key holds only a–z and 0–9 (each syllable followed by its
tone digit, which also ends the syllable: li3 < lin2), and both databases order those bytes
alike.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common one (曾 is ceng2 in 曾经, zeng1 as
# a surname). Only the first character of a person's name is read with this table.
SURNAMES = {
    "曾": "zeng1",
    "单": "shan4",
    "仇": "qiu2",
    "解": "xie4",
    "朴": "piao2",
    "查": "zha1",
    "区": "ou1",
    "盖": "ge3",
    "缪": "miao4",
    "乐": "yue4",
    "尉": "yu4",
    "覃": "qin2",
    "翟": "zhai2",
    "员": "yun4",
    "种": "chong2",
    "召": "shao4",
    "繁": "po2",
    "冼": "xian3",
    "长": "zhang3",
    "任": "ren2",
    "沈": "shen3",
    "柏": "bai3",
    "秘": "bi4",
    "宁": "ning4",
}

_KEEP = re.compile(r"[^a-z0-9]")
MAX_LENGTH = 255


def pinyin_key(name: str, *, person: bool = False) -> str:
    """Return the sort key of `name`: its pinyin with tone digits, lower case, e.g. 李四 → li3si4.

    Letters and digits in the name are kept as they are (lower-cased); other characters are
    dropped. With `person=True` the first character is read as a surname (曾 → zeng1). The key
    is cut to 255 characters.
    """
    name = (name or "").strip()
    if not name:
        return ""
    head = ""
    if person and name[0] in SURNAMES:
        head, name = SURNAMES[name[0]], name[1:]
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    key = head + "".join(_KEEP.sub("", s.lower()) for s in syllables)
    return key[:MAX_LENGTH]
