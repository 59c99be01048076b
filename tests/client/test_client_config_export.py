"""The config file and key, backend choice, exports and tables."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from talentql import engine
from talentql.backends import HttpBackend, open_backend
from talentql.config import Config, Secret, load_config
from talentql.errors import ConfigError
from talentql.export import CSV_COLUMNS, OutputFile, encoder, flatten, part_path
from talentql.render import render_table

KEY = "sk_test_abcdef123456"


def write_config(path, text, mode=0o600):
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_key_from_the_environment_wins(tmp_path):
    cfg = write_config(tmp_path / "c.toml", f'api_key = "{KEY}-file"\n')
    config = load_config(cfg, environ={engine.API_KEY_ENV: KEY})
    assert config.api_key.reveal() == KEY and config.key_source == engine.API_KEY_ENV


def test_key_from_a_private_config_file(tmp_path):
    cfg = write_config(tmp_path / "c.toml", f'api_key = "{KEY}"\napi_url = "http://x/api"\n'
                                            "retry_timeout = 5\n")
    config = load_config(cfg, environ={})
    assert config.api_key.reveal() == KEY and config.api_url == "http://x/api"
    assert config.retry_timeout == 5 and KEY not in repr(config)


def test_a_key_file_readable_by_others_is_refused_with_the_fix(tmp_path):
    cfg = write_config(tmp_path / "c.toml", f'api_key = "{KEY}"\n', mode=0o644)
    with pytest.raises(ConfigError) as caught:
        load_config(cfg, environ={})
    text = caught.value.render()
    assert f"chmod 600 {cfg}" in text and KEY not in text


def test_a_world_readable_file_without_a_key_is_fine(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "retry_timeout = 7\n", mode=0o644)
    assert load_config(cfg, environ={}).retry_timeout == 7


def test_bad_toml_is_a_clear_error_that_does_not_echo_the_file(tmp_path):
    cfg = write_config(tmp_path / "c.toml", f'api_key = "{KEY}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(cfg, environ={})
    assert "not valid TOML" in caught.value.message and KEY not in caught.value.render()


def test_config_path_override(tmp_path, monkeypatch):
    cfg = write_config(tmp_path / "elsewhere.toml", f'api_key = "{KEY}"\n')
    monkeypatch.setenv("TALENTQL_CONFIG", str(cfg))
    assert load_config().api_key == Secret(KEY)


def test_retry_timeout_from_the_environment(monkeypatch):
    monkeypatch.setenv("TALENTQL_RETRY_TIMEOUT", "0.5")
    assert load_config().retry_timeout == 0.5


def test_backend_choice():
    with_key = open_backend(config=Config(api_key=Secret(KEY)))
    assert isinstance(with_key, HttpBackend)
    assert with_key.label == f"Kalent API at {engine.DEFAULT_API_URL}"
    assert KEY not in repr(with_key) and KEY not in repr(with_key.client)
    local = open_backend(api_url="http://127.0.0.1:1/api", config=Config())
    assert local.label == "API at http://127.0.0.1:1/api (no key)"


# --- Exports -------------------------------------------------------------------------------------

TALENT = {
    "id": "t1", "firstname": "Camille", "lastname": "Durand", "jobTitle": "Designer, Senior",
    "city": "Paris", "country": "France", "linkedinUrl": "https://li/in/c",
    "currentOrganization": {"name": "Doctolib"}, "skills": ["Figma", "UX"],
    "languages": [{"name": "french"}, "english"], "extra": {"kept": [1, 2]},
}


def test_csv_is_flattened_and_quoted():
    enc = encoder("csv")
    text = enc.begin() + enc.items([TALENT, {"id": "t2"}], first=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [c for c, _ in CSV_COLUMNS][:6] == ["name", "title", "company", "location",
                                               "linkedin_url", "id"]
    assert rows[0]["name"] == "Camille Durand" and rows[0]["title"] == "Designer, Senior"
    assert rows[0]["company"] == "Doctolib" and rows[0]["location"] == "Paris, France"
    assert rows[0]["skills"] == "Figma; UX" and rows[0]["languages"] == "french; english"
    assert rows[1]["id"] == "t2" and rows[1]["name"] == ""


def test_jsonl_and_json_keep_the_full_talent():
    jsonl = encoder("jsonl").items([TALENT, TALENT], first=True)
    assert [json.loads(line) for line in jsonl.splitlines()] == [TALENT, TALENT]
    enc = encoder("json")
    text = enc.begin() + enc.items([TALENT], first=True) + enc.items([TALENT], first=False)
    assert json.loads(text + enc.end(empty=False)) == [TALENT, TALENT]
    assert json.loads(enc.begin() + enc.end(empty=True)) == []


def test_output_file_is_atomic_and_resumes_at_a_checkpoint(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old complete file\n")
    out = OutputFile.open(target)
    out.write("line 1\n")
    offset = out.checkpoint()
    out.write("half a li")  # then the process dies: the target is untouched
    out.abandon()
    assert target.read_text() == "old complete file\n"
    again = OutputFile.open(target, resume_at=offset)
    again.write("line 2\n")
    again.finish()
    assert target.read_text() == "line 1\nline 2\n" and not part_path(target).exists()


def test_table_fits_the_width_and_cuts_with_an_ellipsis():
    talents = [dict(TALENT, jobTitle="Principal Staff Product Designer " * 3)] * 3
    for width in (40, 60, 80, 120):
        text = render_table(talents, width=width)
        assert all(len(line) <= width for line in text.splitlines()), width
    assert "…" in render_table(talents, width=60)
    assert render_table(talents, width=200).count("…") == 0


def test_wide_characters_count_as_two_cells():
    from talentql.render import width_of

    talents = [dict(TALENT, firstname="山田", lastname="太郎", jobTitle="ソフトウェアエンジニア" * 3)]
    for width in (40, 50, 61, 80):
        assert all(width_of(line) <= width
                   for line in render_table(talents, width=width).splitlines()), width


def test_flatten_survives_odd_talents():
    odd = {"id": 5, "currentOrganization": "not an object", "experiences": [
        {"isCurrent": True, "organizationName": "Acme"}], "skills": "python"}
    row = flatten(odd)
    assert row["id"] == "5" and row["company"] == "Acme" and row["skills"] == "python"


def test_a_target_that_is_not_a_regular_file_is_written_directly():
    out = OutputFile.open("/dev/null")
    out.write("talents\n")
    out.finish()
    assert out.direct and not Path("/dev/null").is_file()  # never renamed over


def test_an_unwritable_output_is_a_usage_error(tmp_path):
    import subprocess

    from servers import talentql_command

    done = subprocess.run([*talentql_command(), "search", "title:x", "--api-url",
                           "http://127.0.0.1:9/api", "-o", str(tmp_path / "no" / "dir.csv")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "cannot write" in done.stderr
