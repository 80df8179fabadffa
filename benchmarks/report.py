"""Turn one benchmark run's results into the table, the goals and the Markdown file."""

from __future__ import annotations

from typing import Any

TARGETS = ("rk", "floor", "raw", "weasy")
HEAD = (
    "routinekit",
    "floor (reportlab canvas)",
    "raw floor (hand-written PDF)",
    "HTML + WeasyPrint",
)


def _get(d: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _fmt(v: Any, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def _ratio(a: Any, b: Any, spec: str = ".2f") -> str:
    return "-" if not a or not b else format(a / b, spec) + "x"


def rows(r: dict[str, Any]) -> list[list[str]]:
    """The main table: one row per measure, a column per renderer, then ratios to the floor
    and to WeasyPrint (for times: routinekit / other, lower is better; for throughput:
    routinekit / other, higher is better)."""
    out = []

    def row(label: str, values: dict[str, Any], spec: str, higher_better: bool = False) -> None:
        rk, fl, we = values.get("rk"), values.get("floor"), values.get("weasy")
        cells = [label, *(_fmt(values.get(t), spec) for t in TARGETS)]
        cells += [_ratio(rk, fl), _ratio(rk, we) if higher_better else _ratio(we, rk, ".1f")]
        out.append(cells)

    warm = r.get("warm", {})
    row(
        "warm render, ms / handout",
        {t: _get(warm, t, "render", "ms_median") for t in TARGETS},
        ".2f",
    )
    row(
        "full build per patient, ms (pipeline + render)",
        {
            "rk": _get(warm, "rk", "build", "ms_median"),
            "floor": _get(warm, "floor", "render", "ms_median"),
            "raw": _get(warm, "raw", "render", "ms_median"),
            "weasy": _get(warm, "weasy", "render", "ms_median"),
        },
        ".2f",
    )
    cold = r.get("cold", {})
    row(
        "cold single build, ms (fresh process, median)",
        {t: _get(cold, t, "ms_median") for t in TARGETS},
        ".0f",
    )
    imp = r.get("imports", {})
    row(
        "import, ms (fresh process, median)", {t: _get(imp, t, "ms_median") for t in TARGETS}, ".0f"
    )
    b = r.get("batch", {})
    row(
        "batch, 1 process, handouts / s",
        {t: _get(b, f"{t}_1", "per_s") for t in TARGETS},
        ".1f",
        True,
    )
    row(
        f"batch, {r.get('cpus')} processes, handouts / s",
        {t: _get(b, f"{t}_all", "per_s") for t in TARGETS},
        ".1f",
        True,
    )
    var = r.get("varied", {})
    row(
        f"batch, rows all different, {_get(var, 'rk', 'rows')} rows, "
        f"{_get(var, 'rk', 'procs')} processes, handouts / s",
        {t: _get(var, t, "per_s") for t in ("rk", "floor")},
        ".1f",
        True,
    )
    row(
        f"peak RSS per worker, MB ({r.get('rows')} rows)",
        {t: _get(b, f"{t}_all", "worker_peak_mb") for t in TARGETS},
        ".1f",
    )
    row(
        f"peak RSS per worker, MB ({r.get('mem_rows')} rows)",
        {"rk": _get(b, "rk_mem", "worker_peak_mb")},
        ".1f",
    )
    row(
        "handout size, KB",
        {t: (_get(warm, t, "bytes") or 0) / 1024 or None for t in TARGETS},
        ".1f",
    )
    row("pages", {t: _get(r, "verify", t, "pages") for t in TARGETS}, "d")
    return out


def goals(r: dict[str, Any]) -> list[list[str]]:
    b, warm, v = r.get("batch", {}), r.get("warm", {}), _get(r, "verify", "rk") or {}
    rk2, fl2, we2 = (_get(b, f"{t}_all", "per_s") for t in ("rk", "floor", "weasy"))
    cold_rk, cold_fl = _get(r, "cold", "rk", "ms_median"), _get(r, "cold", "floor", "ms_median")
    m1, m10 = _get(b, "rk_all", "worker_peak_mb"), _get(b, "rk_mem", "worker_peak_mb")
    kb = (_get(warm, "rk", "bytes") or 0) / 1024
    out = []

    def goal(name: str, target: str, measured: str, ok: bool | None) -> None:
        out.append([name, target, measured, "n/a" if ok is None else ("met" if ok else "MISSED")])

    # issue 20's goals (issue 10 asked for 0.5x batch and 1.5x cold)
    goal(
        "batch of one routine vs floor (all cores)",
        ">= 2.00x",
        _ratio(rk2, fl2),
        rk2 / fl2 >= 2.0 if rk2 and fl2 else None,
    )
    v_rk, v_fl = _get(r, "varied", "rk", "per_s"), _get(r, "varied", "floor", "per_s")
    goal(
        "batch of rows all different (exclusions, doses) vs floor (all cores)",
        ">= 1.00x",
        _ratio(v_rk, v_fl),
        v_rk / v_fl >= 1.0 if v_rk and v_fl else None,
    )
    w_rk, w_fl = _get(warm, "rk", "render", "ms_median"), _get(warm, "floor", "render", "ms_median")
    goal(
        "warm render of one handout vs floor",
        "<= 0.50x",
        _ratio(w_rk, w_fl),
        w_rk / w_fl <= 0.5 if w_rk and w_fl else None,
    )
    goal(
        "batch vs WeasyPrint (all cores)",
        ">= 25x",
        _ratio(rk2, we2, ".1f"),
        rk2 / we2 >= 25 if rk2 and we2 else None,
    )
    goal(
        "cold build vs floor's cold render",
        "<= 1.20x",
        _ratio(cold_rk, cold_fl),
        cold_rk / cold_fl <= 1.2 if cold_rk and cold_fl else None,
    )
    flat = m10 / m1 - 1 if m1 and m10 else None
    goal(
        f"memory flat ({r.get('mem_rows')} vs {r.get('rows')} rows)",
        "within 10%",
        "-" if flat is None else f"{flat:+.1%}",
        abs(flat) <= 0.10 if flat is not None else None,
    )
    peak = max(x for x in (m1, m10, 0) if x is not None)
    goal(
        "peak memory per worker",
        "< 80 MB",
        f"{peak:.1f} MB" if peak else "-",
        peak < 80 if peak else None,
    )
    pages, fonts = v.get("pages"), v.get("embedded_fonts")
    goal(
        "2-page handout with embedded font",
        "<= 60 KB, 2 pages",
        f"{kb:.1f} KB, {pages} pages, fonts: {', '.join(fonts or []) or 'none embedded'}"
        if v
        else "-",
        (kb <= 60 and pages == 2 and bool(fonts)) if v and r.get("format") == "pdf" else None,
    )
    qr = v.get("qr")
    goal(
        "every QR code decodes at 150 dpi",
        "all",
        f"{qr['ok']}/{qr['expected']}" if qr else "-",
        qr["ok"] == qr["expected"] and not qr["wrong"] if qr else None,
    )
    return out


def table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def markdown(r: dict[str, Any]) -> str:
    main = table(["measure", *HEAD, "routinekit / floor", "vs WeasyPrint"], rows(r))
    gl = table(["goal", "target", "measured", "status"], goals(r))
    env = r.get("env", {})
    notes = "\n".join(f"- {n}" for n in r.get("notes", []))
    imports = "\n".join(
        f"| {name} | {cum:.1f} | {own:.1f} |" for cum, own, name in r.get("importtime", [])
    )
    return (
        f"# routinekit benchmark, {r.get('started')}\n\n"
        f"`python3 tasks.py bench` on {r.get('cpus')} cores, Python {env.get('python')}, "
        f"routinekit {env.get('commit')}, format `{r.get('format')}`, "
        f"batch via {r.get('batch_via')}; {r.get('rows')} rows "
        f"(memory also at {r.get('mem_rows')}). Wall {r.get('elapsed_s', 0):.0f} s.\n"
        f"Versions: {env.get('versions')}. "
        "Ratios travel between machines; absolute times do not.\n\n"
        f"{main}\n\n## Goals\n\n{gl}\n\n## Notes\n\n{notes or '- none'}\n\n"
        f"## Where a cold `routinekit build` spends its imports (`python -X importtime`)\n\n"
        f"| module (top level) | cumulative ms | self ms |\n|---|---|---|\n{imports}\n"
    )
