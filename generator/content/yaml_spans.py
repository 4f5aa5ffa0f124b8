"""Where each scalar of a YAML text is written: ``catalog fix`` rewrites values in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from generator.content.load import Path_, yaml_parser


@dataclass(frozen=True)
class ScalarSpan:
    """Where a scalar value is written in a YAML text, as ``catalog fix`` needs to rewrite it."""

    path: Path_
    start: int  # offset of its first character (an opening quote included)
    end: int  # offset after its last character
    value: str
    plain: bool  # written without quotes or a block indicator


def scalar_spans(text: str) -> list[ScalarSpan] | None:
    """Every scalar value of a YAML text with its offsets, or None if the text does not parse.

    Events only: nothing is constructed, so no tag or alias can do anything here.
    """
    spans: list[ScalarSpan] = []
    try:
        events = iter(list(yaml.parse(text, Loader=yaml_parser())))
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                _collect(events, next(events), (), spans)
    except (yaml.YAMLError, StopIteration):
        return None
    return spans


def _collect(events: Any, event: yaml.Event, path: Path_, spans: list[ScalarSpan]) -> None:
    if isinstance(event, yaml.ScalarEvent) and event.start_mark and event.end_mark:
        plain = not event.style
        spans.append(
            ScalarSpan(path, event.start_mark.index, event.end_mark.index, event.value, plain)
        )
    elif isinstance(event, yaml.SequenceStartEvent):
        index = 0
        while not isinstance(item := next(events), yaml.SequenceEndEvent):
            _collect(events, item, (*path, index), spans)
            index += 1
    elif isinstance(event, yaml.MappingStartEvent):
        while not isinstance(key := next(events), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):  # a complex key: no field of ours
                _collect(events, key, path, [])
                _collect(events, next(events), path, [])
                continue
            _collect(events, next(events), (*path, key.value), spans)
