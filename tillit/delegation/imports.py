"""Reading delegation register files (CSV and XLSX) into entries, every problem with the file's line.

Pure parsing: no database. The line readers (CSV with `;` or `,`, UTF-8 with or without BOM,
Windows-1252; XLSX through openpyxl with its unpacked-size guard) are every import's
(`tillit.core.imports`); the columns are the register's: Nr, Ärendegrupp, Ärende, Delegat, Lagrum, Vidaredelegering, Anmälan, Ersättare, Kommentar
(case-insensitive, English names accepted). A file with any problem is adopted not at all.
"""

from dataclasses import astuple, dataclass, field

from django.utils.translation import gettext as _

from tillit.core import imports
from tillit.core.imports import MAX_LINES, ColumnSchema, LineProblem, data_lines, is_blank, read_table_file

MAX_ENTRIES = 5_000  # a large municipality's whole delegationsordning is a few hundred matters

# Column → the names it is known by, normalised (lower case, no spaces).
COLUMNS = {
    "code": ("nr", "nr.", "nummer", "number", "no", "no."),
    "matter_group": ("ärendegrupp", "arendegrupp", "mattergroup", "group"),
    "matter": ("ärende", "arende", "matter"),
    "delegate": ("delegat", "delegate"),
    "legal_basis": ("lagrum", "legalbasis", "law"),
    "redelegation_allowed": ("vidaredelegering", "vidaredelegation", "redelegation"),
    "reporting": ("anmälan", "anmalan", "reporting", "report"),
    "substitute": ("ersättare", "ersattare", "substitute"),
    "note": ("kommentar", "anmärkning", "villkor", "comment", "note", "notes"),
}
REQUIRED_COLUMNS = ("matter_group", "matter", "delegate")
SWEDISH_HEADER = (
    "Nr",
    "Ärendegrupp",
    "Ärende",
    "Delegat",
    "Lagrum",
    "Vidaredelegering",
    "Anmälan",
    "Ersättare",
    "Kommentar",
)
ENGLISH_HEADER = (
    "Number",
    "Matter group",
    "Matter",
    "Delegate",
    "Legal basis",
    "Redelegation",
    "Reporting",
    "Substitute",
    "Comment",
)
# The model's lengths; the matter and note are text, held to a length a table can show.
MAX_LENGTHS = {
    "code": 30,
    "matter_group": 200,
    "matter": 1000,
    "delegate": 200,
    "legal_basis": 300,
    "reporting": 300,
    "substitute": 200,
    "note": 2000,
}
YES = frozenset(("ja", "j", "yes", "y", "x", "true", "1"))
NO = frozenset(("nej", "n", "no", "false", "0", "-", ""))


@dataclass(frozen=True)
class EntryRow:
    """One matter of the file, checked and ready to adopt."""

    line: int
    code: str
    matter_group: str
    matter: str
    delegate: str
    legal_basis: str = ""
    redelegation_allowed: bool = False
    reporting: str = ""
    substitute: str = ""
    note: str = ""

    def content(self) -> tuple:
        """What the entry says, without where it stood in the file."""
        return astuple(self)[1:]


CONTENT_FIELDS = tuple(EntryRow.__dataclass_fields__)[1:]


def entry_content(entry) -> tuple:
    """The same tuple as `EntryRow.content` for a stored entry."""
    return tuple(getattr(entry, name) for name in CONTENT_FIELDS)


@dataclass
class ParsedRegister:
    rows: list[EntryRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    kind: str = "csv"


# A cell starting with one of these is a formula to Excel: downloads quote it, imports unquote it.
FORMULA_STARTS = ("=", "+", "-", "@")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _cell(value: str) -> str:
    """A cell for a download: text that Excel would run as a formula is written with a leading '."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _field_label(name: str) -> str:
    return SWEDISH_HEADER[list(COLUMNS).index(name)]


SCHEMA = ColumnSchema(
    columns=COLUMNS,
    required=REQUIRED_COLUMNS,
    swedish_header=SWEDISH_HEADER,
    english_header=ENGLISH_HEADER,
    label=_field_label,
)


def _read_rows(lines, result: ParsedRegister) -> None:
    read = data_lines(lines, result.problems, SCHEMA)
    if read is None:
        return
    columns, iterator = read
    width = max(columns.values()) + 1
    codes: dict[str, int] = {}
    count = 0
    for line, cells in iterator:
        cells = list(cells)
        if is_blank(cells):
            if line > MAX_LINES:
                break
            continue
        count += 1
        if count > MAX_ENTRIES:
            result.problems.append(
                LineProblem(
                    line,
                    _("The file has more than %(limit)s matters. Split the register into smaller files.")
                    % {"limit": f"{MAX_ENTRIES:,}".replace(",", " ")},
                )
            )
            return
        if any(cell not in (None, "") for cell in cells[width:]):
            result.problems.append(
                LineProblem(line, _("The line has more cells than the first line has columns."))
            )
            continue
        values = {
            name: _text(cells[position] if position < len(cells) else None)
            for name, position in columns.items()
        }
        problems: list[str] = []
        if not values.get("matter_group"):
            problems.append(_("The group of matters (ärendegrupp) is missing."))
        if not values.get("matter"):
            problems.append(_("The matter (ärende) is missing."))
        if not values.get("delegate"):
            problems.append(_("The delegate (delegat) is missing."))
        redelegation = values.get("redelegation_allowed", "").casefold()
        if redelegation not in YES and redelegation not in NO:
            problems.append(
                _("Vidaredelegering is %(value)s: write ja or nej (or leave it empty for nej).")
                % {"value": values["redelegation_allowed"]}
            )
        for name, limit in MAX_LENGTHS.items():
            if len(values.get(name, "")) > limit:
                problems.append(
                    _("%(column)s is longer than %(limit)d characters.")
                    % {"column": _field_label(name), "limit": limit}
                )
        code = values.get("code", "")
        if code:
            if code.casefold() in codes:
                problems.append(
                    _("Nr %(code)s is already used on line %(line)d.")
                    % {"code": code, "line": codes[code.casefold()]}
                )
            else:
                codes[code.casefold()] = line
        if problems:
            result.problems.extend(LineProblem(line, message) for message in problems)
            continue
        result.rows.append(
            EntryRow(
                line=line,
                code=code,
                matter_group=values["matter_group"],
                matter=values["matter"],
                delegate=values["delegate"],
                legal_basis=values.get("legal_basis", ""),
                redelegation_allowed=redelegation in YES,
                reporting=values.get("reporting", ""),
                substitute=values.get("substitute", ""),
                note=values.get("note", ""),
            )
        )
    if not result.rows and not result.problems:
        result.problems.append(LineProblem(2, _("The file has no matters: only the line of column names.")))


def parse_register_file(*, filename: str, content: bytes) -> ParsedRegister:
    """Read a register file. Every problem is reported with its line (0: the file as a whole)."""
    result = ParsedRegister()
    read_table_file(filename=filename, content=content, result=result, read_rows=_read_rows)
    return result


def template_csv(*, swedish: bool, rows: list[tuple] = ()) -> bytes:
    """A CSV to fill in: the header and example lines."""
    return imports.template_csv(
        header=SCHEMA.header(swedish=swedish),
        rows=[[_cell(str(value)) for value in row] for row in rows],
    )


def register_csv(*, entries, swedish: bool = True) -> bytes:
    """A register version written back as an import file (what was adopted, to edit and import again)."""
    return template_csv(
        swedish=swedish,
        rows=[
            (
                entry.code,
                entry.matter_group,
                entry.matter,
                entry.delegate,
                entry.legal_basis,
                ("ja" if swedish else "yes") if entry.redelegation_allowed else ("nej" if swedish else "no"),
                entry.reporting,
                entry.substitute,
                entry.note,
            )
            for entry in entries
        ],
    )
