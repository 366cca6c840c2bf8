"""Workshop mode models: the wall, distributions with suppression, exports, completion."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from widgets.reflection.model import COMPLETED_ITEM
from widgets.workshop import model, pd_record

HOSTILE = '<img src=x onerror="alert(1)">'


def _workshop(store, n: int):
    ws, _ = store.open_workshop("W")
    ps = [store.join_workshop(ws.code, "Ana" if i == 0 else None) for i in range(n)]
    return ws, ps


def test_wall_is_anonymous_and_skips_empty(kit_store):
    ws, ps = _workshop(kit_store, 3)
    kit_store.save(ps[0].id, "m", "reflection:a", {"prompt": "P", "text": "first"})
    kit_store.save(ps[1].id, "m", "reflection:a", {"prompt": "P", "text": "  "})
    kit_store.save(ps[2].id, "m", "reflection:a", {"prompt": "P", "text": HOSTILE})
    kit_store.save(ps[2].id, "m", "sorting:x", {"a": "b"})
    wall = model.reflection_wall(kit_store.answers(workshop_id=ws.id))
    assert [c.text for c in wall] == [HOSTILE, "first"]  # newest first
    assert all(not hasattr(c, "participant_id") for c in wall)


def test_distributions_are_suppressed_below_five(kit_store):
    ws, ps = _workshop(kit_store, 6)
    items, cats = [("s1", "Statement one")], ["A", "B"]
    for i, p in enumerate(ps[:4]):
        kit_store.save(p.id, "m", "sorting:act", {"s1": "A" if i < 3 else "B"})
    d = model.sorting_distributions(kit_store.answers(workshop_id=ws.id), "act", items, cats)
    assert d[0].respondents == 4 and d[0].suppressed
    kit_store.save(ps[4].id, "m", "sorting:act", {"s1": "B"})
    kit_store.save(ps[5].id, "m", "sorting:act", {"s1": None})  # unanswered does not count
    d = model.sorting_distributions(kit_store.answers(workshop_id=ws.id), "act", items, cats)
    assert d[0].counts == {"A": 3, "B": 2} and d[0].respondents == 5


def test_exports_csv_and_xlsx(kit_store):
    ws, ps = _workshop(kit_store, 2)
    kit_store.save(ps[0].id, "m", "reflection:a", {"prompt": "P", "text": '=HYPERLINK("x")'})
    kit_store.save(ps[1].id, "m", "sorting:act", {"s1": "A"})
    recs = model.export_records(kit_store.answers(workshop_id=ws.id), kit_store.participants(ws.id))
    assert [r["participant"] for r in recs] == [
        "Ana",
        f"Participant {model.participant_code(ps[1].token)}",
    ]
    csv_text = model.export_csv(recs)
    assert csv_text.splitlines()[0] == "participant,module,item,value,saved_at"
    wb = load_workbook(io.BytesIO(model.export_xlsx(recs)))
    cells = [c.value for c in wb.active[2]]
    assert cells[0] == "Ana" and cells[3].startswith("'=")  # no formula injection


def test_completion_counts_completed_modules_only(kit_store):
    p = kit_store.participant("solo-t")
    kit_store.save(p.id, "why-partnership", "reflection:a", {"prompt": "P1", "text": "x"})
    kit_store.save(p.id, "why-partnership", COMPLETED_ITEM, {"at": "2026-11-24T10:00:00"})
    kit_store.save(p.id, "communicating", "reflection:b", {"prompt": "P2", "text": "y"})
    cat = [("why-partnership", "Why", 30), ("communicating", "Comm", 40), ("one-to-one", "1:1", 45)]
    # with no activities known for these modules, the prepared summary decides (the rule that
    # counts activities and reflections is tested in test_completion.py)
    rec = model.completion(kit_store.answers(participant_id=p.id), cat, expected={})
    assert [(m.module_id, m.completed) for m in rec.modules] == [
        ("why-partnership", True),
        ("communicating", False),
    ]
    assert rec.minutes == 30 and rec.completed[0].completed_at == "2026-11-24"
    # the certificate the record page issues (printable/pd_record.html): the name typed is
    # escaped, the minutes are the completed module's, reflections of any module are kept
    rows = kit_store.answers(participant_id=p.id)
    cert = pd_record.build_record(
        rows, rec, name="<b>Sam</b>", school="", issued=datetime(2026, 11, 24), objectives={}
    )
    html = pd_record.record_html(cert, rec.reflections)
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html and "<b>Sam" not in html
    assert "about 30 minutes" in html and "P2" in html


def test_certificate_pdf_has_certificate_and_portfolio_pages_in_any_script():
    from datetime import datetime

    from widgets.workshop.certificate_pdf import certificate_pdf
    from widgets.workshop.model import Completion, ModuleProgress, WallCard

    rec = Completion(
        [ModuleProgress("why-partnership", "Why partnership matters", 30, 4, True, "2026-11-25")],
        [WallCard("why-partnership", "What changed? 🤝", "Привет, Zając: <b>ça</b> 🙂\n" * 40)],
    )
    pdf = certificate_pdf("Zofia Zając 🙂", rec, datetime(2026, 11, 25), "École Saint-Jean")
    assert pdf.startswith(b"%PDF-")
    import re

    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2  # certificate, then reflections
    empty = certificate_pdf("", Completion([], []), datetime(2026, 11, 25))
    assert empty.startswith(b"%PDF-")


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def _shown(w, root) -> bool:
    """Whether ``w`` would be drawn: neither it nor any ancestor under ``root`` is hidden."""

    def path(node, trail):
        if node is w:
            return [*trail, node]
        for c in getattr(node, "children", ()):
            found = path(c, [*trail, node])
            if found:
                return found
        return None

    return all(getattr(n.layout, "display", None) != "none" for n in path(root, []))


def test_projector_view_shows_the_code_and_wall_never_the_key_or_setup(kit_store):
    import ipywidgets as ipw

    from widgets.workshop.view import facilitator_dashboard

    page = facilitator_dashboard()
    title = next(w for w in _walk(page) if isinstance(w, ipw.Text) and w.description == "Title")
    title.value = "Projector test"
    next(w for w in _walk(page) if getattr(w, "description", "") == "Open a new workshop").click()
    key_html = next(
        w for w in _walk(page) if isinstance(w, ipw.HTML) and "facilitator key now" in w.value
    )
    key = key_html.value.split("facilitator key now: ")[1].split("<")[0]
    assert _shown(key_html, page)
    tabs = next(w for w in _walk(page) if isinstance(w, ipw.Tab))
    people = next(w for w in _walk(page) if isinstance(w, ipw.HTML) and "Who has joined" in w.value)
    toggle = next(w for w in _walk(page) if isinstance(w, ipw.ToggleButton))
    toggle.value = True
    visible = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML) and _shown(w, page))
    assert key not in visible and "Facilitator key" not in visible
    assert not _shown(tabs, page) and not _shown(people, page)
    code = next(w for w in _walk(page) if isinstance(w, ipw.HTML) and "pap-code" in w.value)
    assert _shown(code, page) and "Reflections wall" in visible
    toggle.value = False
    assert _shown(tabs, page)
    assert key not in "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))


def test_participant_deletes_only_their_own_answers(kit_store):
    import ipywidgets as ipw

    from widgets import identity
    from widgets.workshop.record_view import my_record

    ws, ps = _workshop(kit_store, 2)
    kit_store.save(ps[0].id, "why-partnership", "reflection:a", {"prompt": "P", "text": "mine"})
    kit_store.save(ps[1].id, "why-partnership", "reflection:a", {"prompt": "P", "text": "theirs"})
    identity.set_visitor(identity.visitor_from_query(f"p={ps[0].token}"))
    page = my_record()
    button = next(w for w in _walk(page) if getattr(w, "description", "") == "Delete my answers")
    button.click()  # not confirmed: nothing happens
    assert kit_store.answers(participant_id=ps[0].id)
    next(w for w in _walk(page) if isinstance(w, ipw.Checkbox)).value = True
    button.click()
    assert kit_store.answers(participant_id=ps[0].id) == []
    assert [r.value["text"] for r in kit_store.answers(workshop_id=ws.id)] == ["theirs"]
    text = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    assert f"Deleted 1 answer from Ana · workshop {ws.code}" in text


def test_wrong_keys_on_the_dashboard_are_rate_limited_plainly(kit_store):
    import ipywidgets as ipw

    from widgets.store import KEY_ATTEMPTS
    from widgets.workshop.view import facilitator_dashboard

    ws, key = kit_store.open_workshop("W")
    page = facilitator_dashboard()
    code_in = next(
        w for w in _walk(page) if isinstance(w, ipw.Text) and w.description == "Join code"
    )
    key_in = next(w for w in _walk(page) if isinstance(w, ipw.Password))
    open_btn = next(w for w in _walk(page) if getattr(w, "description", "") == "Open dashboard")
    code_in.value = ws.code
    for _ in range(KEY_ATTEMPTS):
        key_in.value = "nope"
        open_btn.click()
    key_in.value = key
    open_btn.click()
    text = "".join(w.value for w in _walk(page) if isinstance(w, ipw.HTML))
    assert "Too many wrong tries" in text and "Who has joined" not in text
