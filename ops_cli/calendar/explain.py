"""Explanations of opening-hours arithmetic: the windows used, days skipped, clock changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ops_cli.calendar.times import _ZERO


@dataclass(frozen=True)
class Window:
    """One concrete open window: ``[start, end)`` on calendar day ``day``.

    ``start``/``end`` are aware datetimes in the desk's time zone.
    """

    start: datetime
    end: datetime
    day: date

    @property
    def duration(self) -> timedelta:
        """Real elapsed length of the window."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, at: datetime) -> bool:
        """``start <= at < end``, compared in UTC (``at`` must be aware)."""
        u = at.astimezone(UTC)
        return self.start.astimezone(UTC) <= u < self.end.astimezone(UTC)


@dataclass
class Explanation:
    """How :meth:`OpeningHours.add` got from ``start`` to ``result``.

    ``steps``: one dict per window used, in order, with ``window_start``,
    ``window_end`` (the window's bounds), ``used_from``/``used_to`` (the part
    of it consumed), ``used`` and ``remaining`` (timedelta, after this step).
    ``skipped_days``: ``{"date", "reason", "holiday"}`` for each day between
    start and result without open time; ``reason`` is the holiday name or
    ``"closed"``.  ``dst_changes``: ``{"at", "offset_before",
    "offset_after"}`` for UTC-offset changes crossed.
    """

    start: datetime
    duration: timedelta
    result: datetime
    steps: list[dict] = field(default_factory=list)
    skipped_days: list[dict] = field(default_factory=list)
    dst_changes: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The explanation in plain English, one line per step, in time order."""
        out = [f"Start: {_fmt_dt(self.start)}. Add {_fmt_td(self.duration)} of open time."]
        first_used = self.steps[0]["used_from"] if self.steps else self.result
        if first_used.astimezone(UTC) != self.start.astimezone(UTC):
            out.append(f"Closed at the start; counting begins when it next opens, {_fmt_dt(first_used)}.")
        events: list[tuple[datetime, int, str]] = []
        for step in self.steps:
            ws, we = step["window_start"], step["window_end"]
            span = f"{_fmt_day(ws)}: open {_fmt_clock(ws, ws)}-{_fmt_clock(we, ws)}"
            used = (
                f"used {_fmt_clock(step['used_from'], ws)}-{_fmt_clock(step['used_to'], ws)}"
                f" ({_fmt_td(step['used'])})"
            )
            left = f"{_fmt_td(step['remaining'])} left" if step["remaining"] else "nothing left"
            events.append((step["used_from"], 1, f"{span}, {used}; {left}."))
        tz = self.result.tzinfo or UTC
        for skip in self.skipped_days:
            d = skip["date"]
            reason = f"holiday ({skip['reason']})" if skip.get("holiday") else "closed"
            when = datetime.combine(d, time(), tzinfo=tz)
            events.append((when, 0, f"{d.strftime('%a')} {d.isoformat()}: {reason}, skipped."))
        for ch in self.dst_changes:
            diff = ch["offset_after"] - ch["offset_before"]
            longer = "shorter" if diff > _ZERO else "longer"
            events.append(
                (
                    ch["at"],
                    2,
                    f"Clock change at {_fmt_dt(ch['at'])}: UTC offset {_fmt_off(ch['offset_before'])}"
                    f" -> {_fmt_off(ch['offset_after'])}, so that day is {_fmt_td(abs(diff))} "
                    f"{longer}; time is counted as real elapsed time.",
                )
            )
        events.sort(key=lambda e: (e[0].astimezone(UTC), e[1]))
        out.extend(text for _, _, text in events)
        out.append(f"Result: {_fmt_dt(self.result)}.")
        return out

    def to_dict(self) -> dict:
        """Plain JSON-ready data: ISO 8601 datetimes, durations in seconds."""

        def conv(v: object) -> object:
            if isinstance(v, (datetime, date)):
                return v.isoformat()
            if isinstance(v, timedelta):
                s = v.total_seconds()
                return int(s) if s == int(s) else s
            return v

        return {
            "start": conv(self.start),
            "duration_seconds": conv(self.duration),
            "result": conv(self.result),
            "steps": [{k: conv(v) for k, v in s.items()} for s in self.steps],
            "skipped_days": [{k: conv(v) for k, v in s.items()} for s in self.skipped_days],
            "dst_changes": [{k: conv(v) for k, v in s.items()} for s in self.dst_changes],
        }


def _fmt_dt(dt: datetime) -> str:
    fmt = "%a %Y-%m-%d %H:%M:%S %Z" if dt.second or dt.microsecond else "%a %Y-%m-%d %H:%M %Z"
    return dt.strftime(fmt)


def _fmt_day(dt: datetime) -> str:
    return dt.strftime("%a %Y-%m-%d")


def _fmt_clock(dt: datetime, day_of: datetime) -> str:
    """Clock time of ``dt``; midnight after ``day_of``'s date shows as 24:00."""
    if dt.date() > day_of.date() and dt.time() == time():
        return "24:00"
    return dt.strftime("%H:%M:%S") if dt.second else dt.strftime("%H:%M")


def _fmt_td(td: timedelta) -> str:
    total = int(td.total_seconds())
    if total == 0:
        return "0 min"
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    parts = []
    if h:
        parts.append(f"{h} h")
    if m:
        parts.append(f"{m} min")
    if s:
        parts.append(f"{s} s")
    return " ".join(parts)


def _fmt_off(off: timedelta | None) -> str:
    total = int((off or _ZERO).total_seconds())
    sign = "+" if total >= 0 else "-"
    h, rem = divmod(abs(total), 3600)
    return f"{sign}{h:02d}:{rem // 60:02d}"
