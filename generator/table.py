"""The closing table of a command that handles many models (refresh, verify)."""

from __future__ import annotations

from collections import Counter


def closing_table(rows: list[tuple[str, str, str]], heading: str, nothing: str) -> str:
    """One line per model, ``<id>  <status>: <detail>``, then the count of each status.

    Args:
        rows: ``(model id, status, detail)``; an empty detail prints the status alone.
        heading: the title of the status column.
        nothing: the last line when there are no rows.
    """
    width = max((len(model_id) for model_id, _, _ in rows), default=5)
    lines = [f"{'model':<{width}}  {heading}"]
    lines += [f"{mid:<{width}}  {status}: {detail}".rstrip(": ") for mid, status, detail in rows]
    counts = Counter(status for _, status, _ in rows)
    lines.append(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or nothing)
    return "\n".join(lines)
