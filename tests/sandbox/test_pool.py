"""The pool: determinism, the cache, atomic builds, the export format, distributions, and the
sandbox commands."""

from __future__ import annotations

import collections
import json
import statistics
import subprocess
import sys

import pytest

from talentql import engine as api
from talentql import fields
from talentql.cli import main
from talentql.errors import ConfigError
from talentql.sandbox import pool_settings, store


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTQL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_same_seed_and_size_give_identical_bytes(tmp_path, monkeypatch):
    exports = []
    for name in ("one", "two"):
        monkeypatch.setenv("TALENTQL_CACHE_DIR", str(tmp_path / name))
        out = tmp_path / f"{name}.jsonl"
        assert main(["sandbox", "export", "--size", "300", "--seed", "5", "--output",
                     str(out)]) == 0
        exports.append(out.read_bytes())
    assert exports[0] == exports[1]
    assert exports[0].count(b"\n") == 300
    out = tmp_path / "other.jsonl"
    assert main(["sandbox", "export", "--size", "300", "--seed", "6", "--output", str(out)]) == 0
    assert out.read_bytes() != exports[0]


def test_export_format(talents):
    for talent in talents[:300]:
        current = [e for e in talent["experiences"] if e["isCurrent"]]
        assert len(current) == 1 and current[0]["title"] == talent["jobTitle"]
        assert talent["currentOrganization"]["name"] == current[0]["organizationName"]
        s = talent["sandbox"]
        assert isinstance(s["yearsOfExperience"], int) and isinstance(s["yearsInJob"], int)
        assert 0 <= s["yearsInJob"] <= s["yearsOfExperience"]
        assert s["companySize"] in {api.bucket_label(b) for b in api.SIZE_BUCKETS}
        assert s["companyIndustry"] in fields.industries()
        assert s["highestDegree"] in (None, "bachelors", "masters", "doctorates")
        assert s["network"] in (None, "1st degree", "invited")
        assert isinstance(s["freelance"], bool)
        assert -90 <= s["latitude"] <= 90 and -180 <= s["longitude"] <= 180
        assert set(s["companyBundles"]) <= set(fields.COMPANY_BUNDLES)
        assert set(s["schoolBundles"]) <= set(fields.SCHOOL_BUNDLES)
        for language in talent["languages"]:
            assert language["name"] in fields.LANGUAGES
            assert language["proficiency"] in fields.PROFICIENCY_LEVELS


def test_distributions_look_like_a_market(talents):
    titles = collections.Counter(t["jobTitle"].split()[-1] for t in talents)
    engineers = sum(n for word, n in titles.items() if word in ("Engineer", "Developer"))
    designers = sum(n for word, n in titles.items() if word == "Designer")
    ctos = sum(1 for t in talents if t["jobTitle"] == "CTO")
    assert engineers > len(talents) * 0.3 and designers > len(talents) * 0.05
    assert 0 < ctos < len(talents) * 0.01
    years = [t["sandbox"]["yearsOfExperience"] for t in talents]
    assert statistics.median(years) < statistics.mean(years) < 12  # skewed young
    cities = collections.Counter((t["city"], t["country"]) for t in talents)
    top = cities.most_common(10)
    assert sum(n for _, n in top) > len(talents) * 0.15  # big cities are dense
    networks = collections.Counter(t["sandbox"]["network"] for t in talents)
    assert 0 < networks["invited"] < networks["1st degree"] < networks[None]
    bundles = collections.Counter(b for t in talents for b in t["sandbox"]["companyBundles"])
    assert set(bundles) == set(fields.COMPANY_BUNDLES)
    schools = collections.Counter(b for t in talents for b in t["sandbox"]["schoolBundles"])
    assert set(schools) == set(fields.SCHOOL_BUNDLES)
    mag7 = {t["currentOrganization"]["name"] for t in talents
            if "magnificent seven" in t["sandbox"]["companyBundles"]}
    assert mag7 == {"Google", "Apple", "Meta", "Amazon", "Microsoft", "Nvidia", "Tesla"}
    assert len({t["country"] for t in talents}) >= 20
    assert sum(t["sandbox"]["freelance"] for t in talents) > 0


def test_pool_settings(monkeypatch):
    monkeypatch.delenv("TALENTQL_SANDBOX_SIZE", raising=False)
    monkeypatch.delenv("TALENTQL_SANDBOX_SEED", raising=False)
    assert pool_settings() == (20_000, 7)
    monkeypatch.setenv("TALENTQL_SANDBOX_SIZE", "5,000")
    monkeypatch.setenv("TALENTQL_SANDBOX_SEED", "3")
    assert pool_settings() == (5000, 3)
    assert pool_settings(100, 1) == (100, 1)
    monkeypatch.setenv("TALENTQL_SANDBOX_SIZE", "lots")
    with pytest.raises(ConfigError, match="TALENTQL_SANDBOX_SIZE"):
        pool_settings()
    with pytest.raises(ConfigError):
        pool_settings(0, 1)


def test_cache_location(fresh_cache, monkeypatch):
    assert store.pool_path(10, 1).parent == fresh_cache / "sandbox"
    monkeypatch.delenv("TALENTQL_CACHE_DIR")
    import platformdirs

    assert str(store.pool_path(10, 1)).startswith(platformdirs.user_cache_dir("talentql"))


def test_interrupted_build_leaves_nothing(fresh_cache, monkeypatch):
    from talentql.sandbox import generate

    real = generate._talent

    def explode(universe, rng, seed, index):
        if index == 150:
            raise KeyboardInterrupt
        return real(universe, rng, seed, index)

    monkeypatch.setattr(generate, "_talent", explode)
    with pytest.raises(KeyboardInterrupt):
        store.build(200, 1, quiet=True)
    assert not store.info(200, 1).built
    assert list((fresh_cache / "sandbox").iterdir()) == []


def test_rebuilt_when_the_generator_changes(fresh_cache, monkeypatch):
    old = store.ensure(50, 1, quiet=True)
    assert store.info(50, 1).built
    monkeypatch.setattr(store, "GENERATOR_VERSION", store.GENERATOR_VERSION + 1)
    assert not store.info(50, 1).built
    new = store.ensure(50, 1, quiet=True)
    assert new != old and new.exists() and not old.exists()
    assert store.info(50, 1).built


def test_info_and_build_commands(fresh_cache, capsys):
    assert main(["sandbox", "info", "--size", "40", "--seed", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["built"] is False and data["size"] == 40 and data["seed"] == 2
    assert main(["sandbox", "build", "--size", "40", "--seed", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().endswith(".sqlite") and "built in" in captured.err
    assert main(["sandbox", "info", "--size", "40", "--seed", "2"]) == 0
    text = capsys.readouterr().out
    assert "built:             yes" in text and "generator version" in text and "MB" in text


def test_export_to_stdout_and_bad_output(fresh_cache, tmp_path):
    done = subprocess.run([sys.executable, "-m", "talentql", "sandbox", "export", "--size", "30",
                           "--seed", "4"], capture_output=True, timeout=120)
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 30 and all(json.loads(line)["sandbox"] for line in lines)
    bad = subprocess.run([sys.executable, "-m", "talentql", "sandbox", "export", "--size", "30",
                          "--seed", "4", "--output", str(tmp_path / "no" / "such" / "f.jsonl")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "cannot write" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("argv", [["sandbox", "build", "--size", "0"],
                                  ["sandbox", "build", "--seed", "-1"],
                                  ["sandbox", "export", "--size", "ten"],
                                  ["sandbox", "nope"]])
def test_bad_usage_exits_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.strip()


def test_parallel_build_equals_the_sequential_generator(engine, pool):
    """The session pool was built by worker processes; the export must be exactly what the
    generator yields in one process (chunks are seeded independently)."""
    from talentql.sandbox.generate import generate

    assert pool[0] >= store.PARALLEL_FROM  # this test is about the parallel path
    exported = list(store.iter_export_lines(engine.conn))
    expected = [store._json(t) + b"\n" for t in generate(*pool)]
    assert exported == expected
