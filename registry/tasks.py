"""Background tasks (Django's task API through the django-tasks backport).

Run by whichever backend ``settings.TASKS`` names: the database queue by default (``manage.py db_worker``), Redis with
django-tasks-rq, or inline with the immediate backend in tests. Arguments are JSON: ids, never model instances.
"""

from django_tasks import task

from registry import bulk_print, paper_jobs


@task()
def print_unit_forms(job_id: int) -> None:
    """Print every form of a ``PrintJob``'s unit and year; the job row records progress and the outcome."""
    bulk_print.print_job_run(job_id)


@task()
def run_paper_job(job_id: int) -> None:
    """Issue or draft one paper too long to lay out during a request (``registry.paper_jobs``)."""
    paper_jobs.run(job_id)
