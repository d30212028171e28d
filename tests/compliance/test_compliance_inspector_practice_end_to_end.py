"""End to end, judged like an inspector: seven Texas clinics imported from files.

tests/data/inspector_practice holds one clinic in good order and six that differ from it
in one finding each. The files go in through `readiness import --dir`, the checklist
runs through `readiness checklist submit` at the site-local time each was done, and
`readiness status` / `readiness scenarios` are read at 18:00 on Monday 16 November 2026,
after every member of staff acknowledged their site's emergency plan.

What an inspector would conclude, worked out by hand from the files:

| site  | finding                                                      | not ready for        |
| ----- | ------------------------------------------------------------ | -------------------- |
| GOOD  | none: every item ok                                          | -                    |
| CAL   | laser calibration FAILED on 10 June after the December pass  | laser_burn           |
| NOAED | the only AED is out of service                               | cardiac_arrest       |
| EXT   | extinguisher last checked 1 October: 46 days, NFPA 10 asks 30 | fire, laser_burn     |
| DRILL | cardiac-arrest drill on 10 November failed (240 s to AED)    | cardiac_arrest       |
| EPI   | 2 expired auto-injectors still on hand beside 2 in date      | anaphylaxis          |
| LABEL | AED battery label read 2027-12-31, the record says 2027-06-30 | cardiac_arrest       |
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from readiness.cli import main
from readiness.db import Database
from readiness.demo.acknowledgements import acknowledge_plans

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "inspector_practice"
ZONE = ZoneInfo("America/Chicago")
JUDGED_AT = datetime(2026, 11, 16, 18, 0, tzinfo=ZONE)
SCENARIOS = {"anaphylaxis", "cardiac_arrest", "laser_burn", "laser_eye_exposure", "fire"}
BLOCKING = {"failed", "overdue", "expired", "missing"}

# site -> the findings (requirement, subject, status) an inspector writes down, and the
# scenarios those findings leave the clinic unready for.
FINDINGS: dict[str, tuple[set[tuple[str, str, str]], set[str]]] = {
    "GOOD": (set(), set()),
    "CAL": ({("laser.service", "CAL-LASER", "failed")}, {"laser_burn"}),
    "NOAED": ({("aed.present", "NOAED", "missing")}, {"cardiac_arrest"}),
    "EXT": ({("extinguisher.monthly", "EXT-EXT", "overdue")}, {"fire", "laser_burn"}),
    "DRILL": ({("drill.cardiac_arrest", "DRILL", "failed")}, {"cardiac_arrest"}),
    "EPI": ({("stock.expired_epinephrine_adult", "EPI", "expired")}, {"anaphylaxis"}),
    "LABEL": ({("aed.records_match", "LABEL-AED", "failed")}, {"cardiac_arrest"}),
}


Judged = tuple[list[dict[str, object]], list[dict[str, object]]]


def cli(db: Database, *args: str) -> tuple[int, str, str]:
    """Run the command line in process; its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", db.url, "--actor", "test", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def judged(practice_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Judged:
    """status and scenarios JSON of the whole practice at JUDGED_AT."""
    db, folder = practice_db, tmp_path_factory.mktemp("answers")
    code, _, err = cli(db, "import", "--dir", str(PRACTICE))
    assert code == 0, err
    for number, run in enumerate(json.loads((PRACTICE / "checklist_runs.json").read_text())):
        answers = folder / f"answers-{number}.json"
        answers.write_text(json.dumps(run["answers"]))
        hour, minute = map(int, run["time"].split(":"))
        at = datetime.fromisoformat(run["date"]).replace(hour=hour, minute=minute, tzinfo=ZONE)
        args = ["checklist", "submit", "--site", run["site"], "--template", run["template"]]
        args += ["--by", run["by"], "--answers", str(answers), "--date", run["date"]]
        args += ["--asset", run["asset"]] if run["asset"] else []
        with time_machine.travel(at, tick=False):
            code, _, err = cli(db, *args)
        assert code == 0, f"{run}: {err}"
    # Every member of staff has read and signed their site's emergency plan.
    with db.write() as session:
        acknowledge_plans(session, JUDGED_AT.date(), days=30)
    with time_machine.travel(JUDGED_AT, tick=False):
        code, status, err = cli(db, "status", "--format", "json")
        assert code == 0, err
        code, scenarios, err = cli(db, "scenarios", "--format", "json")
        assert code == 0, err
    return json.loads(status), json.loads(scenarios)


def test_each_clinic_gets_the_inspectors_findings_and_no_others(
    judged: Judged,
) -> None:
    items, _ = judged
    found = {
        site: {
            (str(i["requirement"]), str(i["subject"]), str(i["status"]))
            for i in items
            if i["site"] == site and i["status"] in BLOCKING
        }
        for site in FINDINGS
    }
    assert found == {site: findings for site, (findings, _) in FINDINGS.items()}


def test_the_clinic_in_good_order_is_ok_throughout(
    judged: Judged,
) -> None:
    items, _ = judged
    good = [i for i in items if i["site"] == "GOOD"]
    assert len(good) > 30
    assert {str(i["status"]) for i in good} <= {"ok", "not_applicable"}, [
        (i["requirement"], i["subject"], i["status"], i["detail"])
        for i in good
        if i["status"] not in {"ok", "not_applicable"}
    ]


def test_each_clinic_is_ready_exactly_where_an_inspector_would_say_so(
    judged: Judged,
) -> None:
    _, scenarios = judged
    not_ready = {
        site: {str(s["scenario"]) for s in scenarios if s["site"] == site and not s["ready"]}
        for site in FINDINGS
    }
    assert not_ready == {site: blocked for site, (_, blocked) in FINDINGS.items()}
    assert {str(s["scenario"]) for s in scenarios} == SCENARIOS


def test_each_finding_says_what_an_inspector_needs_to_read(
    judged: Judged,
) -> None:
    items, _ = judged
    detail = {(i["requirement"], i["subject"]): str(i["detail"]) for i in items}
    assert "2026-06-10" in detail[("laser.service", "CAL-LASER")]
    assert "240" in detail[("drill.cardiac_arrest", "DRILL")]
    assert "EPA-2410" in detail[("stock.expired_epinephrine_adult", "EPI")]
    label = detail[("aed.records_match", "LABEL-AED")]
    assert "2027-12-31" in label and "2027-06-30" in label
