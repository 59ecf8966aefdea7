"""Hostile and odd YAML (issue 11): values mean what they look like, expansions and nesting are
bounded, every file-system oddity is a data error naming its path, an empty data/ is refused
with the outputs untouched, and a seeded fuzz loop over the bundled YAML finds no traceback."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.checks import check_catalog
from kg.build.loader import load_catalog
from kg.build.yamlread import MAX_DEPTH, YamlSyntaxError, load_yaml_text
from kg.cli import cli

REPO = Path(__file__).resolve().parents[1]

REPORT_YAML = """document:
  id: tiny-report
  title: {en: A tiny test report}
  language: zh-Hant
sections:
  - {notation: 壹, id: s1, title: {en: One}}
"""
ENTITIES_YAML = """entities:
  - {id: some-library, type: Library, label: {en: Some Library, zh-Hant: 某圖書館}}
"""


def tiny_data(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A data folder written here: one shared entity, one report; ``extra`` adds files."""
    data = root / "data"
    (data / "shared").mkdir(parents=True)
    (data / "reports" / "tiny").mkdir(parents=True)
    (data / "shared" / "libraries.yaml").write_text(ENTITIES_YAML, encoding="utf-8")
    (data / "reports" / "tiny" / "report.yaml").write_text(REPORT_YAML, encoding="utf-8")
    for name, text in (extra or {}).items():
        (data / name).write_text(text, encoding="utf-8")
    return data


def problems_of(data: Path, vocab=None) -> list:
    catalog, problems = load_catalog(data)
    if not any(p.is_error for p in problems):
        problems += check_catalog(catalog, vocab)
    return problems


def errors_text(problems) -> str:
    return "\n".join(p.format() for p in problems if p.is_error)


# -- values mean what they look like --------------------------------------------------------

@pytest.mark.parametrize("text, key, expected", [
    ("v: 010\n", "v", "010"),            # YAML 1.1: 8
    ("v: 0123\n", "v", "0123"),          # YAML 1.1: 83
    ("v: 1:30\n", "v", "1:30"),          # YAML 1.1: 90 (sexagesimal)
    ("v: yes\n", "v", "yes"),            # YAML 1.1: True
    ("v: off\n", "v", "off"),            # YAML 1.1: False
    ("v: 2022-06-25\n", "v", "2022-06-25"),
    ("v: 3.50\n", "v", "3.50"),          # the digits as written
    ("v: 0x1F\n", "v", "0x1F"),
    ("v: 1_000\n", "v", "1_000"),        # YAML 1.1: 1000
    ("v: 7738\n", "v", 7738),
    ("v: -12\n", "v", -12),
    ("v: true\n", "v", True),
    ("v: ~\n", "v", None),
    ("v: '010'\n", "v", "010"),
    ("v: !!str 7738\n", "v", "7738"),
])
def test_scalars_keep_the_meaning_they_show(text, key, expected):
    assert load_yaml_text(text, "x.yaml")[key] == expected


def test_an_id_written_0123_stays_0123(tmp_path):
    data = tiny_data(tmp_path, {"reports/tiny/entities.yaml":
                                "entities:\n  - {id: 0123, type: Person, label: {en: Zero}}\n"
                                "facts:\n  - {about: 0123, property: schema:foundingDate, "
                                "value: 010, datatype: xsd:string, section: 壹}\n"})
    catalog, problems = load_catalog(data)
    assert not [p for p in problems if p.is_error]
    assert "0123" in catalog.entities and "83" not in catalog.entities
    assert [f.value for f in catalog.facts] == ["010"]


def test_a_time_like_value_is_not_a_number_of_minutes(tmp_path):
    data = tiny_data(tmp_path, {"reports/tiny/facts.yaml":
                                "facts:\n  - {about: some-library, property: kg:visitors, "
                                "value: 1:30, datatype: xsd:integer, section: 壹}\n"})
    problems = problems_of(data)
    assert "'1:30' is not an xsd:integer" in errors_text(problems)


def test_yes_is_not_a_boolean_flag(tmp_path):
    data = tiny_data(tmp_path, {"reports/tiny/relations.yaml":
                                "relations:\n  - {subject: some-library, predicate: "
                                "kg:partnersWith, object: some-library, section: 壹, "
                                "implied: yes}\n"})
    assert "'implied' must be true or false, not 'yes'" in errors_text(problems_of(data))


# -- bounded: aliases, nesting, digits, documents, tags ------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_billion_laughs_is_refused_at_its_first_anchor():
    assert len(BILLION_LAUGHS.encode()) < 700
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_text(BILLION_LAUGHS, "laughs.yaml")
    assert caught.value.problem.line == 1
    assert "anchors and aliases" in caught.value.problem.what


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 100_000])
def test_deep_nesting_is_an_error_with_its_line(depth):
    text = "v: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_text(text, "deep.yaml")
    assert f"nested more than {MAX_DEPTH} levels" in caught.value.problem.what
    assert caught.value.problem.line == 1


def test_block_nesting_just_under_the_cap_loads():
    depth = MAX_DEPTH - 1
    text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v: 1\n"
    doc = load_yaml_text(text, "deep.yaml")
    for i in range(depth):
        doc = doc[f"k{i}"]
    assert doc == {"v": 1}


def test_a_5000_digit_integer_is_refused():
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_text("facts:\n  - {value: " + "9" * 5000 + "}\n", "digits.yaml")
    assert caught.value.problem.line == 2
    assert "5000 digits" in caught.value.problem.what


@pytest.mark.parametrize("text, words", [
    ("a: 1\n---\nb: 2\n", "a second YAML document"),
    ("a: !!python/object:os.system x\n", "tag 'tag:yaml.org,2002:python/object:os.system'"),
    ("a: !!binary aGVsbG8=\n", "is not supported"),
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("? [a, b]\n: 1\n", "used as a key"),
])
def test_unsupported_yaml_is_an_error(text, words):
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_text(text, "x.yaml")
    assert words in caught.value.problem.what


# -- ids and IRIs: full-string matches ------------------------------------------------------

@pytest.mark.parametrize("extra, words", [
    ('entities:\n  - {id: "bad-id\\n", type: Person, label: {en: X}}\n', "malformed id"),
    ('entities:\n  - {id: ok-id, type: Person, label: {"en\\n": X}}\n', "wrong language tag"),
    ("entities:\n  - {id: ok-id, type: Person, label: {en: X}, same_as: [not an iri]}\n",
     "is not an absolute IRI"),
    ("entities:\n  - {id: ok-id, type: Person, label: {en: X}, "
     "same_as: ['http://example.org/a>b']}\n", "is not an absolute IRI"),
    ("entities:\n  - {id: ok-id, type: Person, label: {en: X}, same_as: [Q42]}\n",
     "is not an absolute IRI"),
    ("facts:\n  - {id: 'f 1', about: some-library, property: kg:visitors, value: 3, "
     "datatype: xsd:integer, section: 壹}\n", "malformed fact id"),
])
def test_ids_and_iris_that_break_rdf_are_data_errors(tmp_path, extra, words):
    data = tiny_data(tmp_path, {"reports/tiny/entities.yaml": extra})
    problems = problems_of(data)
    found = [p for p in problems if p.is_error and words in p.what]
    assert found, errors_text(problems)
    assert found[0].file.endswith("entities.yaml") and found[0].line == 2


def test_a_bad_section_id_is_a_data_error(tmp_path):
    data = tiny_data(tmp_path)
    (data / "reports" / "tiny" / "report.yaml").write_text(
        REPORT_YAML.replace("id: s1,", 'id: "s1/../x",'), encoding="utf-8")
    problems = problems_of(data)
    assert "malformed section id 's1/../x'" in errors_text(problems)


def test_bad_same_as_fails_build_with_a_message_not_a_traceback(tmp_path):
    data = tiny_data(tmp_path, {"reports/tiny/entities.yaml":
                                "entities:\n  - {id: ok-id, type: Person, label: {en: X}, "
                                "same_as: ['http://exa mple.org/x']}\n"})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out),
                                      "--no-source", "--no-html", "--quiet"])
    assert result.exit_code == 1, result.output
    assert "entities.yaml:2: error: same_as 'http://exa mple.org/x'" in result.output
    assert "Traceback" not in result.output and not out.exists()


# -- the file system ------------------------------------------------------------------------

def test_dangling_symlink_is_a_data_error_with_its_path(tmp_path):
    data = tiny_data(tmp_path)
    (data / "reports" / "tiny" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    problems = problems_of(data)
    assert any(p.file == "data/reports/tiny/gone.yaml" and "does not exist" in p.what
               for p in problems), errors_text(problems)


def test_a_folder_named_like_yaml_is_a_data_error(tmp_path):
    data = tiny_data(tmp_path)
    (data / "shared" / "more.yaml").mkdir()
    problems = problems_of(data)
    assert any(p.file == "data/shared/more.yaml" and "folder" in p.what for p in problems)


def test_a_non_utf8_file_is_a_data_error(tmp_path):
    data = tiny_data(tmp_path)
    (data / "reports" / "tiny" / "big5.yaml").write_bytes(
        "entities: []\n# 圖書館\n".encode("big5"))
    problems = problems_of(data)
    assert any(p.file == "data/reports/tiny/big5.yaml" and "not UTF-8" in p.what
               for p in problems)


def test_a_symlink_loop_is_a_data_error(tmp_path):
    data = tiny_data(tmp_path)
    loop = data / "reports" / "tiny" / "loop.yaml"
    loop.symlink_to(loop)
    problems = problems_of(data)
    assert any(p.file == "data/reports/tiny/loop.yaml" for p in problems if p.is_error)


class unprivileged:
    """Run a block with the effective uid/gid of nobody, so file permissions apply to the
    test (root reads anything); a no-op for a non-root user, for whom chmod already works."""

    def __enter__(self):
        self.root = os.geteuid() == 0
        if self.root:
            os.setegid(65534)
            os.seteuid(65534)

    def __exit__(self, *exc):
        if self.root:
            os.seteuid(0)
            os.setegid(0)


def test_unreadable_file_and_folder_are_data_errors():
    import kg.commands.validate  # noqa: F401  imported before dropping privileges
    import pyoxigraph  # noqa: F401

    work = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    try:
        os.chmod(work, 0o755)
        data = tiny_data(work)
        secret = data / "reports" / "tiny" / "secret.yaml"
        secret.write_text(ENTITIES_YAML.replace("some-library", "other-library"))
        locked = data / "reports" / "tiny" / "locked"
        locked.mkdir()
        for path in data.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(data, 0o755)
        os.chmod(secret, 0o000)
        os.chmod(locked, 0o000)
        with unprivileged():
            result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--no-shacl"])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and result.exception is None or \
            isinstance(result.exception, SystemExit)
        assert "data/reports/tiny/secret.yaml: error: cannot be read: permission denied" \
            in result.output
        assert "data/reports/tiny/locked: error: cannot list the folder" in result.output
    finally:
        for path in [work, *work.rglob("*")]:
            if not path.is_symlink():
                os.chmod(path, 0o755)
        shutil.rmtree(work)


def test_an_empty_data_folder_is_refused_and_outputs_stay(tmp_path, built_out):
    out = tmp_path / "out"
    shutil.copytree(built_out, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for empty in (tmp_path / "empty", tmp_path / "hollow"):
        empty.mkdir()
    (tmp_path / "hollow" / "reports").mkdir()
    (tmp_path / "hollow" / "shared").mkdir()
    for folder in ("empty", "hollow"):
        result = CliRunner().invoke(cli, ["build", "--data", str(tmp_path / folder), "--out",
                                          str(out), "--no-source", "--quiet"])
        assert result.exit_code == 1
        assert "holds no reports and no entities" in result.output
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


# -- the fuzz loop ----------------------------------------------------------------------------

FUZZ_FILES = ["shared/organizations.yaml", "shared/places.yaml", "shared/topics.yaml",
              "reports/ala-2022/report.yaml", "reports/ala-2022/entities.yaml",
              "reports/ala-2022/facts.yaml"]
NASTY = [":", "-", "{", "}", "[", "]", "&a", "*a", "!", "!!int", "'", '"', "#", "\n", " ",
         "\t", "0", "9", "\x00", "\u2028", "\x85", "\v", "\f", "\x1c", "? ", "|", ">", "%",
         "@", "`", "---\n", "\ufeff", "\ud7ff", "臺", "…"]
VALUES = ["0123", "1:30", "yes", "~", "9" * 80, "[" * 60 + "]" * 60, "&x [1]", "*x",
          "2022-13-45", "-.inf", "0x1F", "!!float 1", "'\\n'", '"\\u2028"', "{a: 1}"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(7)
    if kind == 0:                                   # insert a nasty character
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(NASTY) + text[at:]
    if kind == 1:                                   # delete a run
        at = rng.randrange(len(text) + 1)
        return text[:at] + text[at + rng.randrange(1, 20):]
    if kind == 2:                                   # duplicate a line
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
    if kind == 3:                                   # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    if kind == 4:                                   # truncate
        return text[:rng.randrange(len(text) + 1)]
    if kind == 5:                                   # replace a value after ': '
        spots = [i for i in range(len(text) - 1) if text[i:i + 2] == ": "]
        at = rng.choice(spots) + 2 if spots else 0
        end = min([e for e in (text.find(",", at), text.find("}", at), text.find("\n", at))
                   if e != -1] or [len(text)])
        return text[:at] + rng.choice(VALUES) + text[end:]
    chars = list(text)                              # re-indent a line
    i = rng.randrange(len(lines))
    lines[i] = " " * rng.randrange(8) + lines[i].lstrip()
    del chars
    return "\n".join(lines)


def test_fuzzed_bundled_yaml_never_raises(tmp_path):
    data = tmp_path / "data"
    for name in FUZZ_FILES:
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / name, data / name)
    originals = {name: (REPO / "data" / name).read_text(encoding="utf-8")
                 for name in FUZZ_FILES}
    from kg.vocab import load_vocabulary

    vocab = load_vocabulary()
    rng = random.Random(20261201)
    cases = 300
    outcomes = {"clean": 0, "errors": 0}
    for case in range(cases):
        name = rng.choice(FUZZ_FILES)
        text = originals[name]
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        target = data / name
        if rng.random() < 0.05:
            target.write_bytes(text.encode("utf-8", "surrogatepass")[:-1] + b"\xff")
        else:
            target.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            problems = problems_of(data, vocab)
        except Exception as exc:  # the fuzz loop's whole point: report the case
            pytest.fail(f"case {case}: {type(exc).__name__}: {exc}\n--- {name} ---\n{text}")
        finally:
            target.write_text(originals[name], encoding="utf-8")
        for problem in problems:
            assert problem.file and isinstance(problem.line, int) and problem.what, problem
        outcomes["errors" if any(p.is_error for p in problems) else "clean"] += 1
    assert outcomes["errors"] > cases // 3      # the mutations really do break things
    assert outcomes["clean"] > 0                # and some survive as valid data
