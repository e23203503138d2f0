"""The translation catalogues are complete: every UI string has a Swedish translation.

Swedish is Tillit's default language, so an English msgid without a Swedish msgstr shows up as English
in a Swedish interface. These tests fail when
- the Swedish catalogue has an empty or fuzzy entry, or a translation that lost a placeholder;
- the compiled .mo does not match the .po (someone forgot `make messages` after editing the .po);
- the code has a string that the catalogue lacks, or the catalogue keeps a string the code no longer has.

Fix: `make messages`, translate the new entries in tillit/locale/sv/LC_MESSAGES/django.po, then
`make messages` again (it compiles) and commit both the .po and the .mo files.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tillit"
LOCALE = SOURCE / "locale"
SWEDISH_PO = LOCALE / "sv" / "LC_MESSAGES" / "django.po"
SWEDISH_MO = LOCALE / "sv" / "LC_MESSAGES" / "django.mo"
ENGLISH_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ENGLISH_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"

FIX = (
    "Run `make messages`, translate the new entries in tillit/locale/sv/LC_MESSAGES/django.po, run it again."
)


# --- a small PO reader ----------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        return (f"[{self.msgctxt}] " if self.msgctxt else "") + repr(self.msgid)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, the header (msgid "") included as the first."""
    entries: list[Entry] = []
    entry, last = Entry(), None

    def finish():
        nonlocal entry, last
        if last is not None:
            entries.append(entry)
        entry, last = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif not line:
            finish()
            continue
        elif line.startswith("#,"):
            if last is not None and last[0] != "comment":
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        elif line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and last is not None and last[0] == "msgstr":
                finish()  # entries without a blank line between them
            value = ast.literal_eval(literal)
            if keyword == "msgctxt":
                entry.msgctxt, last = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, last = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, last = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                entry.msgstr[slot], last = value, ("msgstr", slot)
        elif line.startswith('"') and last is not None:
            value = ast.literal_eval(line)
            kind, slot = last
            if kind == "msgctxt":
                entry.msgctxt += value
            elif kind == "msgid":
                entry.msgid += value
            elif kind == "msgid_plural":
                entry.msgid_plural += value
            else:
                entry.msgstr[slot] += value
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    first = entries[0]
    assert first.msgid == "", "the catalogue starts without a header"
    assert first.msgctxt is None, "the catalogue starts without a header"
    fields = {}
    for line in first.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: no header, no obsolete ones."""
    return [e for e in entries if e.msgid and not e.obsolete]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]|\{\{ *\w+ *\}\}|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


# --- the Swedish catalogue ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swedish() -> list[Entry]:
    assert SWEDISH_PO.exists(), f"{SWEDISH_PO} is missing. {FIX}"
    return read_po(SWEDISH_PO)


def test_swedish_header(swedish):
    fields = header(swedish)
    assert fields.get("Language") == "sv"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert fields.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "fuzzy" not in swedish[0].flags, "a fuzzy header is skipped by msgfmt: the .mo loses its charset"


def test_every_swedish_entry_is_translated(swedish):
    entries = messages(swedish)
    assert len(entries) > 100, "the Swedish catalogue is suspiciously small"
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries (check the translation, then remove the fuzzy flag): {fuzzy}"
    untranslated = [
        str(e)
        for e in entries
        if not e.msgstr or not all(e.msgstr.values()) or (e.msgid_plural and sorted(e.msgstr) != [0, 1])
    ]
    assert not untranslated, f"entries without a Swedish translation: {untranslated}. {FIX}"


def test_no_duplicate_entries(swedish):
    keys = [e.key for e in messages(swedish)]
    assert len(keys) == len(set(keys))


def test_swedish_translations_keep_the_placeholders(swedish):
    broken = []
    for e in messages(swedish):
        if e.msgid_plural is None:
            pairs = [(e.msgid, e.msgstr.get(0, ""))]
        else:
            pairs = [(e.msgid, e.msgstr.get(0, "")), (e.msgid_plural, e.msgstr.get(1, ""))]
        for original, translation in pairs:
            if placeholders(original) != placeholders(translation):
                broken.append(f"{e}: {placeholders(original)} ≠ {placeholders(translation)}")
            if (original.startswith("\n"), original.endswith("\n")) != (
                translation.startswith("\n"),
                translation.endswith("\n"),
            ):
                broken.append(f"{e}: a line break at the start or end differs")
    assert not broken, "translations that lost or changed a placeholder:\n" + "\n".join(broken)


def test_compiled_swedish_catalogue_matches_the_po(swedish):
    assert SWEDISH_MO.exists(), f"{SWEDISH_MO} is missing: run `make messages` and commit the .mo file"
    with SWEDISH_MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.info().get("language") == "sv"
    stale = []
    for e in messages(swedish):
        if e.msgid_plural is None:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(str(e))
        else:
            for n, slot in ((1, 0), (2, 1)):
                if e.msgctxt:
                    got = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                else:
                    got = compiled.ngettext(e.msgid, e.msgid_plural, n)
                if got != e.msgstr[slot]:
                    stale.append(f"{e} (n={n})")
    assert not stale, f"the .mo file is older than the .po (run `make messages` and commit both): {stale}"


def test_django_uses_the_swedish_catalogue():
    from django.utils import translation

    with translation.override("sv"):
        assert translation.gettext("Skip to content") == "Hoppa till innehållet"
        assert translation.gettext("Steering chain") != "Steering chain"
    with translation.override("en"):
        assert translation.gettext("Steering chain") == "Steering chain"


# --- the English catalogue ------------------------------------------------------------------------------


def test_english_catalogue_is_a_real_language_entry(swedish):
    assert ENGLISH_PO.exists(), f"the English catalogue is missing. {FIX}"
    assert ENGLISH_MO.exists(), f"the compiled English catalogue is missing. {FIX}"
    english = read_po(ENGLISH_PO)
    assert header(english).get("Language") == "en"
    assert "fuzzy" not in english[0].flags
    assert {e.key for e in messages(english)} == {e.key for e in messages(swedish)}, (
        f"the English and Swedish catalogues have different msgids. {FIX}"
    )
    # The msgids are English: an English msgstr would only be a second copy that can drift.
    rewritten = [str(e) for e in messages(english) if any(e.msgstr.values())]
    assert not rewritten, f"English entries with a msgstr (leave them empty): {rewritten}"


# --- the catalogue is up to date with the code ----------------------------------------------------------

SETTINGS_MODULE = "translation_check_settings"


def test_catalogue_has_every_string_of_the_code(swedish, tmp_path):
    """Extract the strings again, as `make messages` would, into a copy, and compare the msgids."""
    if not (shutil.which("xgettext") and shutil.which("msguniq") and shutil.which("msgmerge")):
        message = "the GNU gettext tools (xgettext, msguniq, msgmerge) are missing: apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    # makemessages walks the current directory and writes into LOCALE_PATHS: a copy of the source keeps
    # the real catalogue untouched (and sees the code, not the catalogue, as the source of strings).
    copy = tmp_path / "source"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "analysis"),
    )
    locale = tmp_path / "locale"
    locale.mkdir()
    (tmp_path / f"{SETTINGS_MODULE}.py").write_text(
        f"from config.test_settings import *  # noqa: F403\nLOCALE_PATHS = [{str(locale)!r}]\n",
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO), os.environ.get("PYTHONPATH", "")]),
        "PYTHONSAFEPATH": "1",  # the copy's apps (core, api, …) must not shadow installed packages
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    extracted = read_po(locale / "sv" / "LC_MESSAGES" / "django.po")

    in_code = {e.key for e in messages(extracted)}
    in_catalogue = {e.key for e in messages(swedish)}
    missing = sorted(str(Entry(msgid=m, msgctxt=c)) for c, m in in_code - in_catalogue)
    unused = sorted(str(Entry(msgid=m, msgctxt=c)) for c, m in in_catalogue - in_code)
    assert not missing, f"strings in the code that the Swedish catalogue lacks: {missing}. {FIX}"
    assert not unused, f"strings in the catalogue that the code no longer uses: {unused}. {FIX}"

    plurals_in_code = {e.key: e.msgid_plural for e in messages(extracted)}
    changed = [str(e) for e in messages(swedish) if plurals_in_code.get(e.key) != e.msgid_plural]
    assert not changed, f"entries whose plural form changed in the code: {changed}. {FIX}"
