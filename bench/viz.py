"""Time to first still frame of a graph page in headless Chromium: kg.viz against default pyvis.

For 100, 1,000 and 5,000 nodes (a seeded Barabási–Albert graph with labels and classes) it
writes two pages of the same graph in the same run:

- kg.viz: layout computed in Python, physics off; the still frame is the first ``afterDrawing``.
- pyvis 0.3.2 defaults (``Network.from_nx``, physics on, ``cdn_resources="in_line"``): the
  still frame is vis-network's ``stabilized`` event, capped at --timeout seconds ('>T').

It also times writing each page in Python. The network is blocked (pyvis's Bootstrap CDN
links fail fast). Prints one row per size and the ratios pyvis / kg.viz.

    python bench/viz.py                   # 100, 1000, 5000 nodes, 60 s cap
    python bench/viz.py --sizes 100 1000 --timeout 30
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
CLASSES = ["Person", "Library", "Organization", "Session", "Topic", "City"]

HOOK = """
window.__still = null;
document.addEventListener('DOMContentLoaded', () => {
  if (window.network && window.network.once) {
    window.network.once('stabilized', () => { window.__still = performance.now(); });
  }
});
"""


def sample_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for node in base:
        G.add_node(f"e{node}", label_en=f"Entity {node}", label_zh=f"實體{node}",
                   **{"class": rng.choice(CLASSES)})
    for u, v in base.edges():
        G.add_edge(f"e{u}", f"e{v}", key="schema:mentions", predicate="schema:mentions",
                   section="貳.一")
    return G


def write_ours(G, path: Path) -> float:
    from kg.viz.page import write_page

    start = time.perf_counter()
    write_page(G, path, title_en=f"{len(G)} nodes", size_by="degree")
    return time.perf_counter() - start


def write_pyvis(G, path: Path) -> float:
    from pyvis.network import Network

    start = time.perf_counter()
    simple = nx.Graph()
    for node, attrs in G.nodes(data=True):
        simple.add_node(node, label=attrs["label_zh"], title=attrs["label_en"])
    simple.add_edges_from(G.edges())
    net = Network(height="100vh", width="100%", cdn_resources="in_line")
    net.from_nx(simple)
    net.write_html(str(path), notebook=False)
    return time.perf_counter() - start


def still_frame(browser, url: str, script: str, timeout: float) -> float | None:
    """Milliseconds from navigation to the still frame, or None past ``timeout`` seconds."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    page = context.new_page()
    page.add_init_script(HOOK)
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
        page.wait_for_function(script, timeout=timeout * 1000, polling=50)
        return float(page.evaluate(script))
    except Exception:  # noqa: BLE001 - a timeout is the measurement '>T'
        return None
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="Cap for pyvis's time to a still frame, seconds.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for n in args.sizes:
            G = sample_graph(n)
            ours_path, pyvis_path = Path(tmp) / f"kg-{n}.html", Path(tmp) / f"pyvis-{n}.html"
            ours_write = write_ours(G, ours_path)
            pyvis_write = write_pyvis(G, pyvis_path)
            ours = still_frame(browser, ours_path.as_uri(),
                               "window.kgView && window.kgView.firstDrawMs", args.timeout)
            theirs = still_frame(browser, pyvis_path.as_uri(), "window.__still", args.timeout)
            rows.append((n, G.number_of_edges(), ours_write, pyvis_write, ours, theirs))
            print_row(rows[-1], args.timeout, flush=True)
        browser.close()
    print("\nratio = pyvis / kg.viz (higher is better for kg.viz); '>' where pyvis hit the cap")


def print_row(row, timeout: float, flush: bool = False) -> None:
    n, m, ours_write, pyvis_write, ours, theirs = row
    if ours is None:
        ratio, theirs_text = "n/a", "n/a"
    elif theirs is None:
        ratio, theirs_text = f">{timeout * 1000 / ours:.1f}x", f">{timeout:.0f} s"
    else:
        ratio, theirs_text = f"{theirs / ours:.1f}x", f"{theirs / 1000:.2f} s"
    ours_text = f"{ours / 1000:.2f} s" if ours is not None else f">{timeout:.0f} s"
    print(f"{n:>5} nodes {m:>5} edges | still frame: kg.viz {ours_text:>8}, pyvis "
          f"{theirs_text:>8}, ratio {ratio:>7} | write: kg.viz {ours_write:6.2f} s, pyvis "
          f"{pyvis_write:6.2f} s, ratio {pyvis_write / ours_write:5.1f}x", flush=flush)


if __name__ == "__main__":
    main()
