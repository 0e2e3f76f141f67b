"""Review on PostgreSQL: the queue under real concurrency (reviewers in
separate processes pressing "next" at once never get the same item), and the
list's full-text search on its index."""

import subprocess
import sys

import pytest

from tests.support.live import ROOT, Site, wait_for
from tests.support.services import require_postgres, throwaway_postgres_database

REVIEWERS = ["rita", "ravi", "rosa"]
ITEMS = 60


@pytest.fixture(scope="module")
def postgres_site(tmp_path_factory):
    require_postgres()
    with throwaway_postgres_database() as database_url:
        site = Site(tmp_path_factory.mktemp("review-postgres"), DATABASE_URL=database_url)
        site.migrate()
        yield site


def shell(site, code, **variables):
    return site.manage("shell", "-v", "0", "-c", code, **variables)


def test_it_never_hands_one_item_to_two_reviewers_at_once(postgres_site, tmp_path):
    shell(
        postgres_site, f"from tests.support.review_postgres import seed; seed({ITEMS})",
        REVIEWERS=",".join(REVIEWERS),
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                "from tests.support.review_postgres import run; run()",
            ],
            cwd=ROOT,
            env={**postgres_site.env, "REVIEWER": name, "SYNC_FOLDER": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for name in REVIEWERS
    ]
    try:
        wait_for(
            lambda: all((tmp_path / f"ready-{n}").exists() for n in REVIEWERS),
            timeout=60, message="every reviewer ready",
        )  # fmt: skip
        (tmp_path / "go").touch()  # all press "next" at the same moment
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    for worker, (_, errors) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, errors
    lines = [next(li for li in out.splitlines() if li.startswith("claimed:")) for out, _ in outputs]
    claimed = [[int(pk) for pk in line.split()[1:]] for line in lines]
    every = [pk for pks in claimed for pk in pks]
    assert len(every) == len(set(every)) == ITEMS  # each item once, none left
    assert all(claimed), "each reviewer got some of the work"
    assert postgres_site.query("SELECT count(*) FROM review_queueitem WHERE done IS NULL") == [(0,)]


def test_it_searches_message_text_with_the_full_text_index(postgres_site):
    out = shell(postgres_site, "from tests.support.review_postgres import search; search()")

    assert "found: zebra = Stripes,Zebra facts" in out  # the text, and a title
    assert "found: crossings = Stripes" in out  # stemmed: crossings finds "crossing"
    assert "found: sparrow = Birds" in out
    assert "found: nothing-like-this = \n" in out
    assert "index used: True" in out
