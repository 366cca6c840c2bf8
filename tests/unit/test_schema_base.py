"""The one base of the dataset schemas: unknown keys and repeated ids are errors with the fix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from widgets.audit.frameworks import Frameworks
from widgets.checklist.model import Checklist
from widgets.schema_base import StrictModel, check_unique


def test_a_repeated_id_names_itself_and_the_fix():
    check_unique(["a", "b", "c"], "item")  # all different: nothing to say
    with pytest.raises(ValueError, match=r"the item id 'b' is used twice; give each item its own"):
        check_unique(["a", "b", "b"], "item")
    with pytest.raises(ValueError, match=r"'d1' is used twice in framework 'pta'; give each"):
        check_unique(["d1", "d1"], "dimension", "in framework 'pta'")


def test_every_schema_reports_a_repeated_id_the_same_way():
    item = {"id": "x", "text": "One", "kit_guidance": True}
    section = {"title": "S", "items": [item, {**item, "text": "Two"}]}
    with pytest.raises(ValidationError, match="the item id 'x' is used twice; give each item"):
        Checklist.model_validate({"title": "T", "sections": [section]})
    fw = {"id": "f", "title": "F", "short": "F", "kit_guidance": True,
          "dimensions": [{"id": "d", "title": "D"}] * 2}
    with pytest.raises(ValidationError, match="the dimension id 'd' is used twice in framework"):
        Frameworks.model_validate({"frameworks": [fw]})


def test_an_unknown_key_is_an_error():
    class Small(StrictModel):
        name: str

    with pytest.raises(ValidationError, match="nam"):
        Small.model_validate({"name": "a", "nam": "typo"})
