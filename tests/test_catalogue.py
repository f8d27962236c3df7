"""The catalogue of forms is the one home of a paper's declaration; printing sits at the edge of the house."""

import ast
from pathlib import Path

from registry.models import FormCode
from registry.papers import catalogue

REGISTRY = Path(__file__).resolve().parent.parent / "registry"


def _registry_imports(path: Path) -> set[str]:
    """The ``registry.…`` modules a file imports, by name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("registry"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("registry"))
    return names


def test_every_form_code_has_one_catalogue_entry_and_every_entry_a_code():
    assert set(catalogue.FORMS) == set(FormCode.values)


def test_every_form_is_named_by_its_code_label():
    form = catalogue.FORMS["mau_5a"]
    assert (form.label, form.name) == ("Mẫu 5a", "Biên bản họp xét, xác nhận mô hình")


def test_every_form_has_a_template_and_a_number_rule_of_its_layout():
    for form in catalogue.FORMS.values():
        assert (REGISTRY.parent / "templates" / form.template).is_file(), form.code
        assert form.layout in ("party", "state"), form.code


def test_pdf_imports_no_domain_module():
    for path in (REGISTRY / "pdf").glob("*.py"):
        assert {name for name in _registry_imports(path) if not name.startswith("registry.pdf")} == set(), path


def test_only_documents_imports_pdf():
    importers = {
        path.relative_to(REGISTRY.parent).as_posix()
        for path in REGISTRY.rglob("*.py")
        if "pdf" not in path.parts and any(name.startswith("registry.pdf") for name in _registry_imports(path))
    }
    assert importers == {"registry/documents.py"}


def test_no_domain_module_issues_or_renders_papers():
    for module in ("meetings", "proposals", "reviews", "appraisals", "workflow", "periodic_reports"):
        imports = _registry_imports(REGISTRY / f"{module}.py")
        assert not any(name.startswith(("registry.documents", "registry.papers", "registry.pdf")) for name in imports)
