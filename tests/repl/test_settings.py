"""The [repl] settings of the config file."""

from __future__ import annotations

from talentql.repl import settings


def test_defaults_without_a_config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTQL_CONFIG", str(tmp_path / "missing.toml"))
    loaded = settings.load()
    assert (loaded.editing_mode, loaded.format, loaded.pager) == ("emacs", "table", "auto")
    assert loaded.problems == ()


def test_the_repl_table_is_read_from_the_config_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('[repl]\nediting_mode = "VI"\nformat = "csv"\ncolor = false\n'
                    'pager = "off"\nstyle = "monokai"\n')
    monkeypatch.setenv("TALENTQL_CONFIG", str(path))
    loaded = settings.load()
    assert (loaded.editing_mode, loaded.format, loaded.color, loaded.pager, loaded.style) == (
        "vi", "csv", "never", "off", "monokai")


def test_bad_values_are_reported_and_replaced_by_defaults(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('[repl]\nediting_mode = "nano"\nbogus = 1\n')
    monkeypatch.setenv("TALENTQL_CONFIG", str(path))
    loaded = settings.load()
    assert loaded.editing_mode == "emacs"
    assert any("editing_mode" in p for p in loaded.problems)
    assert any("bogus" in p for p in loaded.problems)


def test_a_broken_config_file_does_not_stop_the_repl(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("[repl\n")
    monkeypatch.setenv("TALENTQL_CONFIG", str(path))
    loaded = settings.load()
    assert loaded.editing_mode == "emacs" and loaded.problems


def test_no_color_wins_over_everything(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert not settings.ReplSettings(color="always").wants_color(True)
    monkeypatch.delenv("NO_COLOR")
    assert settings.ReplSettings(color="always").wants_color(False)
    assert not settings.ReplSettings(color="never").wants_color(True)
    monkeypatch.setenv("TERM", "xterm")
    assert settings.ReplSettings().wants_color(True) and not settings.ReplSettings().wants_color(False)
