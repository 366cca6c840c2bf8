"""Fillable letter and call templates in several languages (``datasets/messages/templates.yaml``).

A blank left by the user stays visible as ``[label]`` so nobody sends a letter with a hole in it.
"""

from __future__ import annotations

import re
import string

from pydantic import Field, model_validator

from widgets.datasets import load_yaml
from widgets.schema_base import Id, StrictModel

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
REQUIRED_LANGUAGES = ("en", "fr", "es")
_PLACEHOLDER = re.compile(r"{(\w+)}")


class TemplateField(StrictModel):
    name: str = Field(pattern=r"^\w+$")
    label: str = Field(min_length=1)
    example: str = ""


class Template(StrictModel):
    id: Id
    title: str = Field(min_length=1)
    channel: str = "letter"
    needs: list[str] | None = None  # essentials to check, if not the channel's own
    fields: list[TemplateField] = Field(min_length=1)
    text: dict[str, str]

    @model_validator(mode="after")
    def _placeholders_declared(self) -> Template:
        missing_lang = [lang for lang in REQUIRED_LANGUAGES if not self.text.get(lang, "").strip()]
        if missing_lang:
            raise ValueError(
                f"template {self.id!r} has no text in {', '.join(missing_lang)}; add it under text"
            )
        names = {f.name for f in self.fields}
        for lang, body in self.text.items():
            try:
                list(string.Formatter().parse(body))
            except ValueError as e:
                raise ValueError(f"template {self.id!r} ({lang}): a stray brace ({e})") from None
            unknown = set(_PLACEHOLDER.findall(body)) - names
            if unknown:
                raise ValueError(
                    f"template {self.id!r} ({lang}) uses {sorted(unknown)} which are not listed "
                    "under fields; add them to fields or fix the spelling"
                )
        return self


class Templates(StrictModel):
    templates: list[Template] = Field(min_length=1)


def load_templates() -> dict[str, Template]:
    return {t.id: t for t in load_yaml("messages/templates.yaml", Templates).templates}


class _Blanks(dict):
    def __init__(self, values: dict[str, str], labels: dict[str, str]):
        super().__init__({k: v for k, v in values.items() if v and v.strip()})
        self.labels = labels

    def __missing__(self, key: str) -> str:
        return f"[{self.labels.get(key, key)}]"


def fill(template: Template, lang: str, values: dict[str, str]) -> str:
    """The template's text in ``lang`` with the user's values put in (blanks shown as [label])."""
    labels = {f.name: f.label for f in template.fields}
    body = template.text.get(lang) or template.text["en"]
    return (
        body.format_map(_Blanks({k: v.strip() for k, v in values.items()}, labels)).strip() + "\n"
    )


def blanks(template: Template, values: dict[str, str]) -> list[str]:
    """Labels of fields still empty."""
    return [f.label for f in template.fields if not (values.get(f.name) or "").strip()]
