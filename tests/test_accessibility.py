"""Accessibility rules that hold in the templates and forms themselves (the browser checks are in
tests/e2e/test_accessibility.py)."""

import re
from pathlib import Path

import pytest
from crispy_forms.utils import render_crispy_form

from registry.appraisal_forms import AppraisalForm
from registry.models import Criterion

ROOT = Path(__file__).resolve().parent.parent
PAGE_TEMPLATES = [
    path
    for path in (ROOT / "templates").rglob("*.html")
    if not {"pdf", "admin"} & set(path.relative_to(ROOT / "templates").parts)
]
ICON = re.compile(r"<i\s[^>]*class=\"bi\b[^>]*>")


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_icons_are_hidden_from_screen_readers(template):
    # The icon font's glyphs read as gibberish; the words next to an icon (or a visually-hidden span) say it.
    icons = ICON.findall(template.read_text(encoding="utf-8"))
    assert [icon for icon in icons if 'aria-hidden="true"' not in icon] == []


def test_scoring_form_save_draft_button_is_outlined_without_a_blue_background(reference_data):
    html = render_crispy_form(AppraisalForm(criteria=list(Criterion.objects.filter(group="collective"))))
    save = re.search(r'<input type="submit"[^>]*value="Lưu nháp"[^>]*>', html).group(0)
    assert 'class="btn btn-outline-primary"' in save
