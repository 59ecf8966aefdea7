"""The build against hostile labels, texts and faults (issue 11): every output parses whatever
the labels and the text hold; out/ is old or new, never a mix, after a SIGKILL at any of a dozen
points, a full disk, a read-only or unwritable parent; no staging folder survives; a view an
earlier build wrote and this one does not is gone; two clean large-path builds are identical."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from kg.cli import cli

REPO = Path(__file__).resolve().parents[1]
ODD = "\u2028\u0085\v\f\u001c"   # splitlines() splits on each of these; N-Triples must not
LABEL_ODD = f"Odd{ODD}Library"

# A short report written for these tests (not from any real report), with pdftotext-style
# form feeds between pages and the odd separators inside a sentence.
TEXT = ("壹、目的\n測試圖書館派員參加年會。\f\n"
        f"貳、過程\n測試圖書館的館員在會上{ODD}介紹了服務。\f\n測試\f圖書館也展示了海報。\n")


def write_data(root: Path, *, label: str = LABEL_ODD, second_report: bool = True) -> Path:
    """A data folder: one library with an odd English label, one or two reports."""
    data = root / "data"
    shutil.rmtree(data, ignore_errors=True)
    (data / "shared").mkdir(parents=True)
    (data / "shared" / "libraries.yaml").write_text(
        "entities:\n  - id: test-library\n    type: Library\n"
        f"    label: {{en: {yaml_quote(label)}, zh-Hant: 測試圖書館}}\n"
        "  - id: test-conference\n    type: Conference\n"
        "    label: {en: Test Conference, zh-Hant: 測試年會}\n    alt: {zh-Hant: [年會]}\n"
        "  - id: test-conference-2\n    type: Conference\n"
        "    label: {en: Second Test Conference, zh-Hant: 第二測試年會}\n",
        encoding="utf-8")
    reports = [("tiny", "tiny-report", "test-conference")]
    if second_report:
        reports.append(("other", "other-report", "test-conference-2"))
    for folder, doc_id, about in reports:
        (data / "reports" / folder).mkdir(parents=True)
        (data / "reports" / folder / "report.yaml").write_text(
            f"document:\n  id: {doc_id}\n  title: {{en: {yaml_quote('Test ' + ODD + 'report')}}}\n"
            f"  about: {about}\n  language: zh-Hant\n  source_file: {doc_id}.txt\n"
            f"  sha256: {hashlib.sha256(TEXT.encode()).hexdigest()}\n"
            "sections:\n  - {notation: 壹, id: s1, title: {zh-Hant: 目的, en: Purpose}}\n"
            "  - {notation: 貳, id: s2, title: {zh-Hant: 過程, en: Proceedings}}\n",
            encoding="utf-8")
        (data / "reports" / folder / "relations.yaml").write_text(
            f"relations:\n  - {{subject: {about}, predicate: schema:attendee, "
            f"object: test-library, section: 壹, note: {yaml_quote('note' + ODD + 'end')}}}\n",
            encoding="utf-8")
    sources = root / "sources"
    sources.mkdir(exist_ok=True)
    for _, doc_id, _ in reports:
        (sources / f"{doc_id}.txt").write_text(TEXT, encoding="utf-8")
    return data


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar with every non-printable character escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\u0085\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes): what a user would diff."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str = "out") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def run_build(data: Path, out: Path, sources: Path, *extra, env=None, check=True):
    done = subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(data), "--out",
                           str(out), "--source", str(sources), "--quiet", "--no-shacl", *extra],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})))
    if check:
        assert done.returncode == 0, done.stderr
    return done


# -- outputs parse whatever the labels and the text hold -------------------------------------

@pytest.fixture(scope="module")
def odd_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    data = write_data(root)
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(root / "out"),
                                      "--source", str(root / "sources"), "--quiet"])
    assert result.exit_code == 0, result.output
    return root / "out"


OX_FORMATS = {"kg.nt": ox.RdfFormat.N_TRIPLES, "kg.ttl": ox.RdfFormat.TURTLE,
              "kg.trig": ox.RdfFormat.TRIG, "kg.jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"kg.nt": "nt", "kg.ttl": "turtle", "kg.trig": "trig", "kg.jsonld": "json-ld"}
LIBRARY = "https://w3id.org/nlpi-kg/id/test-library"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.mark.parametrize("name", sorted(OX_FORMATS))
def test_odd_characters_survive_every_output_in_both_parsers(odd_build, name):
    path = odd_build / name
    store = ox.Store()
    store.load(path=str(path), format=OX_FORMATS[name])
    labels = {q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(LIBRARY), ox.NamedNode(LABEL), None, None)}
    assert LABEL_ODD in labels
    exact = {q.object.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/ns/oa#exact"), None, None)}
    assert "測試\f圖書館" in exact        # a mention across a pdftotext page break
    graph = Dataset() if name in ("kg.trig",) else Graph()
    graph.parse(path, format=RDFLIB_FORMATS[name])
    found = {str(o) for _, _, o in graph.triples((URIRef(LIBRARY), URIRef(LABEL), None))} \
        if name != "kg.trig" else \
        {str(o) for _, _, o, _ in graph.quads((URIRef(LIBRARY), URIRef(LABEL), None, None))}
    assert LABEL_ODD in found
    notes = {str(o) for o in (graph.objects(None, URIRef(
        "https://w3id.org/nlpi-kg/ontology#curatorNote")) if name != "kg.trig" else
        (q[2] for q in graph.quads((None, URIRef(
            "https://w3id.org/nlpi-kg/ontology#curatorNote"), None, None))))}
    assert "note" + ODD + "end" in notes


def test_n_triples_has_one_statement_per_line(odd_build):
    lines = (odd_build / "kg.nt").read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert all(line.rstrip().endswith(b" .") for line in lines[:-1])


def test_an_id_ending_in_a_newline_is_refused(tmp_path):
    data = write_data(tmp_path, second_report=False)
    path = data / "shared" / "libraries.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "id: test-library", 'id: "test-library\\n"', 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--no-shacl"])
    assert result.exit_code == 1
    assert "data/shared/libraries.yaml:2: error: malformed id 'test-library\\n'" in result.output


# -- all or nothing: kills, full disk, permissions --------------------------------------------

@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Build A (two reports: two conference views) and build B (one report, another label),
    each clean, as references; plus a user's own file carried across builds."""
    root = tmp_path_factory.mktemp("versions")
    refs = {}
    for name, kwargs in (("a", {"label": "Version A Library", "second_report": True}),
                         ("b", {"label": "Version B Library", "second_report": False})):
        work = root / name
        data = write_data(work, **kwargs)
        run_build(data, work / "out", work / "sources")
        (work / "out" / "notes.txt").write_text("my own notes\n")
        (work / "out" / "html" / "my-slide.png").write_bytes(b"\x89PNG user's own image")
        refs[name] = (data, work / "sources", tree(work / "out"))
    return refs


def fresh_a(versions, root: Path) -> Path:
    """out/ holding build A (as the user had it), beside which build B will run."""
    out = root / "out"
    shutil.rmtree(out, ignore_errors=True)
    for rel, data in versions["a"][2].items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


CHECKPOINTS = ["loaded", "modelled", "staged", "write:kg.jsonld", "write:kg.nt",
               "write:kg.trig", "write:kg.ttl", "written", "views", "carried", "swap",
               "swapped"]


def test_a_rebuild_drops_stale_views_and_keeps_the_users_files(versions, tmp_path):
    data, sources, new = versions["b"]
    out = fresh_a(versions, tmp_path)
    run_build(data, out, sources)
    assert tree(out) == new
    assert "html/conference.html" in new and "html/conference-test-conference-2.html" \
        not in new and "html/conference-test-conference-2.html" in versions["a"][2]
    assert new["html/my-slide.png"] == b"\x89PNG user's own image"


def test_versions_differ_where_it_matters(versions):
    a, b = versions["a"][2], versions["b"][2]
    assert a["kg.nt"] != b["kg.nt"]
    stale = {name for name in a if name.startswith("html/")} - set(b)
    assert stale, "build A must have a view that build B does not (a stale view)"
    assert a["notes.txt"] == b["notes.txt"] == b"my own notes\n"
    assert a["html/my-slide.png"] == b["html/my-slide.png"]


@pytest.mark.parametrize("point", CHECKPOINTS)
def test_a_build_killed_at_a_checkpoint_leaves_out_old_or_new(versions, tmp_path, point):
    data, sources, new = versions["b"]
    out = fresh_a(versions, tmp_path)
    done = run_build(data, out, sources, env={"KG_TEST_KILL_AT": point}, check=False)
    assert done.returncode == -signal.SIGKILL, (point, done.returncode, done.stderr[-800:])
    after = tree(out)
    expected_new = point == "swapped"
    assert after == (new if expected_new else versions["a"][2]), point
    if point in ("write:kg.ttl", "swapped"):
        # The next build cleans what the killed one left and completes.
        assert leftovers(tmp_path)
        run_build(data, out, sources)
        assert tree(out) == new
        assert leftovers(tmp_path) == []


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.5])
def test_a_build_killed_at_a_random_moment_leaves_out_old_or_new(versions, tmp_path, delay):
    data, sources, new = versions["b"]
    out = fresh_a(versions, tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", "--data", str(data),
                                "--out", str(out), "--source", str(sources), "--quiet",
                                "--no-shacl"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert tree(out) in (versions["a"][2], new), delay


def test_fallback_swap_killed_between_renames_is_repaired_by_the_next_build(versions,
                                                                            tmp_path):
    from kg.build.staging import recover

    data, sources, new = versions["b"]
    out = fresh_a(versions, tmp_path)
    done = run_build(data, out, sources, env={"KG_TEST_KILL_AT": "half-swapped",
                                              "KG_NO_RENAME_EXCHANGE": "1"}, check=False)
    assert done.returncode == -signal.SIGKILL
    assert not out.exists()                # the one instant the fallback cannot cover
    recover(out)
    assert tree(out) == versions["a"][2]   # the old outputs are back, byte for byte
    run_build(data, out, sources, env={"KG_NO_RENAME_EXCHANGE": "1"})
    assert tree(out) == new and leftovers(tmp_path) == []


def test_stale_staging_of_a_killed_build_is_removed(versions, tmp_path):
    data, sources, new = versions["b"]
    out = fresh_a(versions, tmp_path)
    stale = tmp_path / ".out.tmp-999999999-abc"
    (stale / "html").mkdir(parents=True)
    (stale / "kg.nt").write_bytes(b"x" * 1000)
    run_build(data, out, sources)
    assert not stale.exists() and tree(out) == new


def test_an_output_path_that_is_a_file_is_a_clear_error(versions, tmp_path):
    data, sources, _ = versions["b"]
    (tmp_path / "out").write_text("not a folder")
    done = run_build(data, tmp_path / "out", sources, check=False)
    assert done.returncode == 2 and "is not a folder" in done.stderr
    assert "Traceback" not in done.stderr


class mounted:
    """A tmpfs of ``size`` at ``path`` (root only); skips, or fails with KG_REQUIRE_FS=1."""

    def __init__(self, path: Path, size: str):
        self.path, self.size = path, size

    def __enter__(self):
        self.path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size},mode=0755",
                               "tmpfs", str(self.path)], capture_output=True, text=True)
        if done.returncode != 0:
            reason = f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'})"
            if os.environ.get("KG_REQUIRE_FS") == "1":
                pytest.fail(reason + " and KG_REQUIRE_FS=1")
            pytest.skip(reason)
        return self.path

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def __exit__(self, *exc):
        subprocess.run(["umount", "-l", str(self.path)], check=False)


def test_a_full_disk_is_a_message_and_out_stays_old(versions, tmp_path):
    data, sources, _ = versions["b"]
    with mounted(tmp_path / "fs", "12m") as fs:
        out = fresh_a(versions, fs)
        size = sum(len(b) for b in versions["a"][2].values())
        free = shutil.disk_usage(fs).free
        (fs / "filler").write_bytes(b"\0" * max(0, free - size // 3))
        done = run_build(data, out, sources, check=False)
        assert done.returncode == 2, done.stderr
        assert "the disk is full" in done.stderr and "was left as it was" in done.stderr
        assert "Traceback" not in done.stderr
        assert tree(out) == versions["a"][2]
        assert sorted(p.name for p in fs.iterdir()) == ["filler", "out"]


def test_a_read_only_file_system_is_a_message_and_out_stays_old(versions, tmp_path):
    data, sources, _ = versions["b"]
    mount = mounted(tmp_path / "fs", "12m")
    with mount as fs:
        out = fresh_a(versions, fs)
        mount.remount("ro")
        done = run_build(data, out, sources, check=False)
        assert done.returncode == 2, done.stderr
        assert "the file system is read-only" in done.stderr
        assert "Traceback" not in done.stderr
        assert tree(out) == versions["a"][2]


def test_an_unwritable_parent_is_a_message_and_out_stays_old(versions, build_result):
    import tempfile

    from tests.test_yaml_hardening import unprivileged

    work = Path(tempfile.mkdtemp(prefix="kg-ro-"))
    try:
        out = fresh_a(versions, work)
        data = shutil.copytree(versions["b"][0], work / "data")
        sources = shutil.copytree(versions["b"][1], work / "sources")
        for path in [work, *work.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(work, 0o555)          # no new entries beside out/ (for root: run as nobody)
        with unprivileged():
            result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out),
                                              "--source", str(sources), "--quiet"])
        os.chmod(work, 0o755)
        assert result.exit_code == 2, result.output
        assert "permission denied" in result.output and "was left as it was" in result.output
        assert tree(out) == versions["a"][2]
        assert leftovers(work) == []
        assert sorted(p.name for p in work.iterdir()) == ["data", "out", "sources"]
    finally:
        os.chmod(work, 0o755)
        shutil.rmtree(work)


# -- deterministic on the large path -----------------------------------------------------------

def test_two_clean_large_path_builds_are_byte_identical(tmp_path):
    """LARGE_DATASET forced low: the Oxigraph store and streamed writers, twice, in two
    processes with different hash seeds, give the same bytes (two reports, with texts)."""
    data = write_data(tmp_path, second_report=True)
    script = ("import sys, kg.build.fastio as f; f.LARGE_DATASET = 100\n"
              "from kg.build.pipeline import build\n"
              "r = build(sys.argv[1], sys.argv[2], sources=[sys.argv[3]], shacl=False)\n"
              "assert f.is_oxigraph_backed(r.dataset)\n")
    outs = []
    for run, seed in enumerate(("1", "2")):
        out = tmp_path / f"out{run}"
        subprocess.run([sys.executable, "-c", script, str(data), str(out),
                        str(tmp_path / "sources")], check=True,
                       env=dict(os.environ, PYTHONHASHSEED=seed), timeout=600)
        outs.append(tree(out))
    assert sorted(outs[0]) == [".kg-build", "kg.jsonld", "kg.nt", "kg.trig", "kg.ttl",
                               "warnings.txt"]
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name
