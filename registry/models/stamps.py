"""A stamp that changes whenever catalogue rows that pages keep in memory change (units, lĩnh vực, years, form wording).

Pages keep the list filters' options and a few catalogue values in process memory under the stamp they read
(``registry/choices.py``). The stamp lives
in the database, not in the cache, so that every worker process sees a change at once (the default cache is each
process's own memory), and it changes inside the writing transaction, so a rolled-back change leaves it alone.
"""

import secrets

from django.db import connection, models

CHOICES = "choices"


def new_token() -> str:
    # Random rather than a counter: after a rollback (the tests, a failed import) a counter would come back to a value
    # already used for other rows, and a cache entry made under it would be served again.
    return secrets.token_hex(8)


class ChoiceStamp(models.Model):
    name = models.CharField("tên", max_length=30, primary_key=True)
    token = models.CharField("mã phiên bản", max_length=32, default=new_token)

    class Meta:
        verbose_name = "phiên bản danh mục lọc"
        verbose_name_plural = "phiên bản danh mục lọc"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"

    @classmethod
    def current(cls, name: str = CHOICES) -> str:
        """The stamp now (one primary-key read); an empty string when the row is missing (a flushed test table).

        Plain SQL: it runs on every list page, and compiling the ORM query cost more than the read itself."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {cls._meta.db_table} WHERE name = %s", [name])
            row = cursor.fetchone()
        return row[0] if row else ""

    @classmethod
    def bump(cls, name: str = CHOICES) -> None:
        """Give the stamp a new value, in the caller's transaction."""
        if not cls.objects.filter(name=name).update(token=new_token()):
            cls.objects.update_or_create(name=name, defaults={"token": new_token()})
