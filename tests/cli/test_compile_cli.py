"""The compiler's commands, run as a user runs them: the installed `talentql` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def talentql_command() -> list[str]:
    exe = shutil.which("talentql", path=os.path.dirname(sys.executable)) or shutil.which("talentql")
    return [exe] if exe else [sys.executable, "-m", "talentql"]


def run(*args, input=None, cwd=None, env=None):
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("KALENT_API_KEY", None)
    return subprocess.run([*talentql_command(), *args], input=input, capture_output=True,
                          text=True, cwd=cwd, env=environment, timeout=60)


def test_version_and_help():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("talentql ")
    result = run("--help")
    assert result.returncode == 0
    for command in ("compile", "explain", "fmt", "check"):
        assert command in result.stdout


def test_compile_prints_the_plan_json():
    result = run("compile", 'title:"Product Designer" AND location:Paris~50km AND yoe:5-10 '
                            "NOT company:Google")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["engine"] == "gate" and len(plan["searches"]) == 1
    assert plan["searches"][0]["filters"][1] == {
        "filterType": "LOCATION", "value": "Paris", "isRequired": True, "isExcluded": False,
        "isExactMatch": False, "radius": 50}


def test_compile_options():
    result = run("compile", "--engine", "strict", "--ranges", "free", "--compact",
                 "title:(A OR B) yoe:5+")
    plan = json.loads(result.stdout)
    assert plan["engine"] == "strict" and len(plan["searches"]) == 2
    assert plan["searches"][0]["filters"][1]["value"] == "5-100"
    result = run("compile", "--max-searches", "1", "title:A OR skill:B")
    assert result.returncode == 1 and "error[too-many-searches]" in result.stderr


def test_compile_errors_go_to_stderr_with_exit_1():
    result = run("compile", "titel:Designer yoe:5")
    assert result.returncode == 1 and result.stdout == ""
    assert "error[unknown-field]: unknown field 'titel' — did you mean 'title'?" in result.stderr
    assert " --> 1:1" in result.stderr and "^^^^^" in result.stderr
    assert "error[invalid-value]" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2():
    assert run("compile").returncode == 2
    assert run("compile", "x", "-f", "y.tql").returncode == 2
    assert run("compile", "--engine", "nope", "x").returncode == 2
    assert run("nonsense-command").returncode == 2


def test_compile_file_and_named_query(tmp_path):
    (tmp_path / "lib.tql").write_text("let big = company:(Google OR Meta)\n")
    (tmp_path / "q.tql").write_text('import "lib.tql"\nlet cto = title:CTO\n$cto NOT $big\n')
    result = run("compile", "-f", str(tmp_path / "q.tql"), "--compact")
    filters = json.loads(result.stdout)["searches"][0]["filters"]
    assert [(f["value"], f["isExcluded"]) for f in filters] == [
        ("CTO", False), ("Google", True), ("Meta", True)]
    result = run("compile", "-f", str(tmp_path / "q.tql"), "--query", "big", "--compact")
    assert len(json.loads(result.stdout)["searches"][0]["filters"]) == 2
    missing = run("compile", "-f", str(tmp_path / "nope.tql"))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_compile_reads_standard_input():
    result = run("compile", "-", "--compact", input="skill:Rust\n")
    assert json.loads(result.stdout)["searches"][0]["filters"][0]["value"] == "Rust"


def test_explain_for_people():
    result = run("explain", "title:(Designer OR Researcher) ?skill:Figma NOT company:Google")
    assert result.returncode == 0
    out = result.stdout
    assert "formula   (title:Designer OR title:Researcher) AND NOT company:Google" in out
    assert "1 search (minimal)" in out and "first page: 1 API call" in out
    assert "? title: Designer" in out and "- company: Google" in out
    assert "warning[preference-gates]" in out


def test_fmt_check_diff_and_rewrite(tmp_path):
    messy = tmp_path / "messy.tql"
    messy.write_text("let a = JOB:x   and -org:(g || m)  # keep me\n$a\n")
    assert run("fmt", "--check", str(messy)).returncode == 1
    diff = run("fmt", "--diff", str(messy))
    assert "+let a = title:x NOT company:(g OR m)  # keep me" in diff.stdout
    assert messy.read_text().startswith("let a = JOB")  # --diff changes nothing
    assert run("fmt", str(messy)).returncode == 0
    assert messy.read_text() == "let a = title:x NOT company:(g OR m)  # keep me\n$a\n"
    assert run("fmt", "--check", str(messy)).returncode == 0


def test_fmt_refuses_broken_files_and_keeps_them(tmp_path):
    broken = tmp_path / "broken.tql"
    broken.write_text("title:(A OR\n")
    result = run("fmt", str(broken))
    assert result.returncode == 1 and "error[syntax]" in result.stderr
    assert broken.read_text() == "title:(A OR\n"


def test_check_reports_all_files(tmp_path):
    good = tmp_path / "good.tql"
    good.write_text("title:A\n")
    lib = tmp_path / "lib.tql"
    lib.write_text("let a = title:A\nlet b = yoe:4-12\n")
    bad = tmp_path / "bad.tql"
    bad.write_text("titel:A\n")
    result = run("check", str(good), str(lib), str(bad))
    assert result.returncode == 1
    assert f"{good}: ok" in result.stdout and f"{lib}: ok (0 error(s), 1 warning(s))" in result.stdout
    assert f"{bad}: error" in result.stdout and "error[unknown-field]" in result.stderr
    assert run("check", str(good), str(lib)).returncode == 0


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.tql")), ids=lambda p: p.name)
def test_examples_check_and_are_formatted(example):
    assert run("check", str(example)).returncode == 0
    assert run("fmt", "--check", str(example)).returncode == 0


def test_examples_exist():
    assert len(list(EXAMPLES.glob("*.tql"))) >= 6


def test_no_traceback_on_hostile_input(tmp_path):
    weird = tmp_path / "weird.tql"
    weird.write_bytes(b"\xff\xfe title:x")
    for args in (["compile", "\x01\x7f"], ["compile", "((((((((("], ["check", str(weird)],
                 ["fmt", str(tmp_path)], ["explain", '"'], ["check", "/nonexistent"]):
        result = run(*args)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, args
