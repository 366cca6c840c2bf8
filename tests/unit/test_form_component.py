"""The shared form component (widgets/form.py) the activity views build their inputs with."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.datasets import DatasetError, Problem
from widgets.form import badge_html, enable, failed_card, field, section_label, tick_grid

HOSTILE = "<img src=x onerror=alert(1)>"


def test_fields_start_disabled_and_enable_wires_them():
    name = field(ipw.Text, "Name", cls="pap-x-name", width="300px", placeholder="optional")
    pick = field(ipw.Dropdown, "Pick", options=["a", "b"], value="a")
    assert name.disabled and pick.disabled
    assert name.layout.width == "300px" and "pap-x-name" in name._dom_classes
    seen = []
    enable([name, pick], lambda c: seen.append(c["new"]))
    assert not name.disabled and not pick.disabled
    name.value, pick.value = "Ana", "b"
    assert seen == ["Ana", "b"]


def test_tick_grid_keys_boxes_by_id():
    boxes, grid = tick_grid([("Cooking", "cook"), ("Sport", "sport")], "pap-skill")
    assert list(boxes) == ["cook", "sport"] and list(grid.children) == list(boxes.values())
    assert "pap-skill-cook" in boxes["cook"]._dom_classes and boxes["cook"].disabled


def test_labels_badges_and_failed_cards_escape_text():
    assert "&lt;img" in section_label(HOSTILE).value
    html = badge_html(HOSTILE, "bad", "⛔", bold="Not started", warnings=[HOSTILE])
    assert "<img" not in html and html.count("&lt;img") == 2 and "#a12622" in html
    box = failed_card(DatasetError("x.yaml", [Problem("a", HOSTILE, "fix it")]), "Could not load")
    text = " ".join(getattr(w, "value", "") for w in box.children if hasattr(w, "value"))
    assert "<img" not in text and "x.yaml" in text
