"""The filter form of the registration list and the one function that applies it, shared by the page and its export.

Every filter narrows a queryset that already starts from ``Registration.objects.visible_to(user)``; a value that does
not validate (a year that is not a number, a unit outside the user's scope…) is left out, and the form shows why.
The sort order comes from a whitelist: an unknown ``sap_xep`` falls back to the default, never an error.
``YearChoiceForm`` picks the year of the "chưa đăng ký" view the same way (``?nam=2025``).
"""

import copy
import functools
import json

from django import forms
from django.db import connection, models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from registry.choices import Options, filter_choices
from registry.models import Field, Level, Registration, Status, SubjectKind, Unit
from registry.terms import Terms, terms
from registry.text import search_key
from registry.unit_fields import UnitChoiceField
from registry.years import YearField

# Status in workflow order, so that sorting by status reads like the lifecycle rather than alphabetically.
_STATUS_ORDER = models.Case(
    *(models.When(status=value, then=models.Value(i)) for i, value in enumerate(Status.values)),
    default=models.Value(len(Status.values)),
    output_field=models.IntegerField(),
)

# sap_xep value → (label, ordering). "-pk" last keeps pages stable when the other keys tie.
SORTS: dict[str, tuple[str, tuple]] = {
    "moi_nhat": ("Mới tạo trước", ("-created_at", "-pk")),
    "ten": ("Tên mô hình (A → Z)", ("title", "-pk")),
    "nam": ("Năm (mới nhất trước)", ("-year__year", "title", "-pk")),
    "trang_thai": ("Trạng thái", (_STATUS_ORDER, "title", "-pk")),
    "don_vi": ("Đơn vị quản lý (A → Z)", ("unit__name", "title", "-pk")),
}
DEFAULT_SORT = "moi_nhat"

# Matches of a search counted at most (the other lists count up to pagination.DEFAULT_CAP); a phrase expected to
# match more is matched by walking the list's index rather than through the trigram index (``is_common_search``).
SEARCH_CAP = 1_000
ESTIMATED_WORDS = 5

# Related rows every list row prints: one JOIN instead of one query per row. Its year (is_late reads the deadlines)
# and lĩnh vực are not joined: the page takes them from memory (``registry.choices.years_and_fields``), as each
# joined table cost PostgreSQL about a millisecond of planning a view (3.1 -> 0.6 ms without these two).
LIST_RELATED = ("unit", "subject_unit", "subject_person")
# The columns a list row prints, and nothing else: the twelve long texts of an entry and the full rows of the related
# tables were most of the rows query's cost in Python.
LIST_FIELDS = (
    "created_at",
    "subject_kind",
    "level",
    "title",
    "status",
    "submitted_at",
    "year",
    "field",
    "unit__name",
    "subject_unit__name",
    "subject_person__full_name",
)
# The export joins the year and lĩnh vực (one query for thousands of rows) and prints the receiving unit too.
EXPORT_RELATED = ("year", "field", *LIST_RELATED, "receiving_unit")
EXPORT_FIELDS = (
    *LIST_FIELDS,
    "year__year",
    "year__registration_deadline_base",
    "year__registration_deadline_khoi",
    "field__name",
    "receiving_unit__name",
)


def _choices_with_all(choices) -> list[tuple[str, str]]:
    return [("", "Tất cả"), *choices]


# The filter card's rows: (field, column class).
LAYOUT = (
    (("q", "col-md-6"), ("sap_xep", "col-md-3"), ("nam", "col-md-3")),
    (("don_vi", "col-md-4"), ("linh_vuc", "col-md-4"), ("cap", "col-md-4")),
    (("trang_thai", "col-md-6"), ("doi_tuong", "col-md-6")),
)


@functools.lru_cache(maxsize=8)
def _fixed_options(names: Terms) -> dict[str, Options]:
    """The options fixed in the code, written once per set of body names: their labels name the bodies
    (``registry.terms``), so they are written when first shown under those names, never at import (no database then)."""
    return {
        "sap_xep": Options.of((key, label) for key, (label, _order) in SORTS.items()),
        "cap": Options.of(_choices_with_all(Level.choices)),
        "trang_thai": Options.of(_choices_with_all(Status.choices)),
        "doi_tuong": Options.of(_choices_with_all(SubjectKind.choices)),
    }


class _SharedFields(dict):
    """The filter form's ``base_fields``: a form copies only the unit field (its queryset is the user's scope) and
    shares the others, which nothing changes once the class is built. Django deep-copies every field for each form,
    each choice list normalised again: a tenth of a chi bộ's list page (issue 17)."""

    def __deepcopy__(self, memo):
        fields = dict(self)
        fields["don_vi"] = copy.deepcopy(self["don_vi"], memo)
        return fields


class RegistrationFilterForm(forms.Form):
    """GET form of the registration list: each field is optional and narrows the list."""

    # Set by ``filtered_registrations``: the selected rows found another way for their count, or None.
    rows_to_count = None

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        help_text="Tên mô hình, chủ thể hoặc địa chỉ; gõ có dấu hay không dấu đều được.",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Ví dụ: dan van kheo"}),
    )
    nam = YearField(required=False, empty_label="Tất cả")
    don_vi = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Tất cả",
        help_text="Gồm cả các đơn vị trực thuộc.",
        error_messages={"invalid_choice": "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."},
    )
    linh_vuc = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ."},
    )
    cap = forms.ChoiceField(
        label="Cấp đăng ký",
        choices=_choices_with_all(Level.choices),
        required=False,
        error_messages={"invalid_choice": "Cấp đăng ký không hợp lệ."},
    )
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        choices=_choices_with_all(Status.choices),
        required=False,
        error_messages={"invalid_choice": "Trạng thái không hợp lệ."},
    )
    doi_tuong = forms.ChoiceField(
        label="Đối tượng",
        choices=_choices_with_all(SubjectKind.choices),
        required=False,
        error_messages={"invalid_choice": "Đối tượng đăng ký không hợp lệ."},
    )
    sap_xep = forms.CharField(
        label="Sắp xếp",
        required=False,
        widget=forms.Select(choices=[(key, label) for key, (label, _) in SORTS.items()]),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        # Validation only: a submitted unit is looked up in the user's scope (one indexed query). The options shown
        # come from ``registry.choices`` (cached), never from these querysets.
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user)

    def layout(self, stamp: str | None = None) -> list[list[dict]]:
        """The form's rows for ``registration_list.html``: each field's column, label, control, errors and help.

        The controls are written here rather than by crispy-forms and Django's widget templates (about 1,100 template
        renders a page for 500 unit options); the markup is the one they wrote: the same ids, classes, ``aria-*``
        and error blocks, so the page looks and reads the same. ``stamp``: the catalogue's stamp when the page read
        it with its rows (``registry.choices.stamp_subquery``).
        """
        choices = filter_choices(self.user, stamp)
        options = {
            **_fixed_options(terms()),
            "nam": choices.years,
            "don_vi": choices.units,
            "linh_vuc": choices.fields,
        }
        errors = self.errors if self.is_bound else {}
        return [[self._cell(name, css, options.get(name), errors.get(name, [])) for name, css in row] for row in LAYOUT]

    def _cell(self, name: str, css: str, options, errors) -> dict:
        field = self.fields[name]
        html_id = f"id_{name}"
        described = [f"{html_id}_helptext"] if field.help_text else []
        described += [f"{html_id}_error"] if errors else []
        attrs = format_html(
            '{}{} id="{}"',
            mark_safe(' aria-invalid="true"') if errors else "",
            format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
            html_id,
        )
        value = self.data.get(name) if self.is_bound else None
        if options is None:  # the search box
            control = format_html(
                '<input type="search" name="{}"{} placeholder="{}" maxlength="{}" class="textinput form-control{}"{}>',
                name,
                format_html(' value="{}"', value) if value else "",
                field.widget.attrs["placeholder"],
                field.max_length,
                " is-invalid" if errors else "",
                attrs,
            )
        else:
            extra = ""
            if name == "don_vi" and not errors and value and str(value) not in options.values:
                # A unit chosen by URL beyond the bounded option list stays visible and selected.
                chosen = self.cleaned_data.get("don_vi")
                extra = format_html('<option value="{}" selected>{}</option>', chosen.pk, chosen.name) if chosen else ""
            control = format_html(
                '<select name="{}" class="select form-select{}"{}>{}{}</select>',
                name,
                " is-invalid" if errors else "",
                attrs,
                mark_safe(options.render(value)),
                extra,
            )
        return {
            "css": css,
            "id": html_id,
            "label": field.label,
            "control": control,
            "errors": errors,
            "help": field.help_text,
        }

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean_sap_xep(self) -> str:
        value = self.cleaned_data["sap_xep"]
        return value if value in SORTS else DEFAULT_SORT

    def valid_values(self) -> dict:
        """The values that validated; a field with an error is simply absent (the list ignores it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


RegistrationFilterForm.base_fields = _SharedFields(RegistrationFilterForm.base_fields)


def filter_registrations(queryset: models.QuerySet, values: dict, *, scan: bool = False) -> models.QuerySet:
    """Narrow ``queryset`` (already scoped by ``visible_to``) by the validated filter ``values`` and sort it; ``scan``
    matches the search words without the trigram index (``RegistrationQuerySet.search``)."""
    qs = queryset
    if values.get("nam"):
        qs = qs.filter(year=values["nam"])
    if values.get("don_vi"):
        qs = qs.within(values["don_vi"])
    if values.get("linh_vuc"):
        qs = qs.filter(field=values["linh_vuc"])
    if values.get("cap"):
        qs = qs.filter(level=values["cap"])
    if values.get("trang_thai"):
        qs = qs.filter(status=values["trang_thai"])
    if values.get("doi_tuong"):
        qs = qs.filter(subject_kind=values["doi_tuong"])
    if values.get("q"):
        qs = qs.search(values["q"], scan=scan)
    sort = values.get("sap_xep") or DEFAULT_SORT
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])


def filtered_registrations(user, data, *, export: bool = False) -> tuple[RegistrationFilterForm, models.QuerySet]:
    """The bound filter form for ``data`` (request.GET) and the user's registrations it selects, rows ready to print
    on the page, or in the .xlsx export with ``export``: the same rows in the same order."""
    form = RegistrationFilterForm(data, user=user)
    values = form.valid_values()
    related, fields = (EXPORT_RELATED, EXPORT_FIELDS) if export else (LIST_RELATED, LIST_FIELDS)
    base = Registration.objects.visible_to(user)
    # The export reads every match: the trigram index finds them all at once, the walk would read the whole scope.
    common = not export and is_common_search(base, values)
    # Another order than newest first reads every match to sort them, which the trigram index finds fastest; their
    # count needs no order and walks the index all the same (``form.rows_to_count``, for the paginator).
    newest_first = (values.get("sap_xep") or DEFAULT_SORT) == DEFAULT_SORT
    rows = filter_registrations(base.select_related(*related).only(*fields), values, scan=common and newest_first)
    form.rows_to_count = filter_registrations(base, values, scan=True) if common and not newest_first else None
    return form, rows


def is_common_search(queryset: models.QuerySet, values: dict) -> bool:
    """Whether the search of ``values`` is for words PostgreSQL expects in more than ``SEARCH_CAP`` rows of
    ``queryset`` each: then they are matched without the trigram index (``search(scan=True)``).

    The trigram index finds a rare word at once, but for common words its posting lists span the whole table:
    "dan van kheo" in a Khối of 200,000 entries (12,566 matches) cost 23 ms of GIN reading before the first row,
    "nong dan" 160 ms. Matched by ``strpos``, the same words let PostgreSQL walk the scope's newest-first index and
    stop early: the page's 25 newest matches after ~400 entries, the count's ``SEARCH_CAP`` + 1 after ~16,000, read
    from the index alone (it holds the search text, migration 0020); even a rare combination of common words costs
    at most one walk of the scope (~80 ms for 200,000 entries), less than the GIN lists of those words. The estimate
    only chooses the way: both select the same rows, so a wrong estimate costs time, never a wrong list or count.
    """
    if not values.get("q"):
        return False
    return estimated_matches(queryset, values) >= SEARCH_CAP


def estimated_matches(queryset: models.QuerySet, values: dict) -> int:
    """PostgreSQL's estimate of the rows of ``queryset`` filtered by ``values`` that hold the search's rarest word
    (one EXPLAIN, no row read); 0 on SQLite, which has no trigram index to avoid.

    Word by word: the planner multiplies the words' shares as if they were independent, and "dan", "van" and "kheo"
    always come together (estimated 1,736 matches, 12,566 in fact); the rarest word alone is estimated well (12,151
    for "kheo") and bounds the matches from above.
    """
    # The longest words, which are usually the rarest, and at most five: a box of 200 characters could hold a
    # hundred words, each a branch to plan; leaving words out can only raise the estimate (a walk, still correct).
    words = sorted(set(search_key(values.get("q", "")).split()), key=len, reverse=True)[:ESTIMATED_WORDS]
    if connection.vendor != "postgresql" or not words:
        return 0
    per_word = [filter_registrations(queryset, {**values, "q": word}).order_by().values("pk") for word in words]
    plan = json.loads(per_word[0].union(*per_word[1:], all=True).explain(format="json"))[0]["Plan"]
    branches = plan["Plans"] if len(words) > 1 and plan["Node Type"] == "Append" else [plan]
    return int(min(branch["Plan Rows"] for branch in branches))


class YearChoiceForm(forms.Form):
    """The year of the "chưa đăng ký" view, by its number (?nam=2025)."""

    nam = YearField(required=False)
