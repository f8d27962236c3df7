"""The Word edge: a printed form's template and context in, .docx bytes out (``writer.py``). Imports no domain module;
only ``registry.documents`` calls it."""
