# Targets that are not part of the normal test run (scripts/test.sh, CI).
.PHONY: loadtest

# 100 simultaneous users for 60 s against gunicorn on 127.0.0.1, then a check that nothing was lost
# (scripts/loadtest.sh; needs PostgreSQL on 127.0.0.1, DATABASE_URL to use another database).
loadtest:
	bash scripts/loadtest.sh
