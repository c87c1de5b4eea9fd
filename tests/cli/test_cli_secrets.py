"""The command line reads the Streamlit secrets files like the app (README, Configuration: "Environment
variables, or the same keys in .streamlit/secrets.toml ... Every budgetwise command honours them too")."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetwise.cli import main
from tests.conftest import TEST_SECRET


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("BUDGETWISE_DATA_DIR", "BUDGETWISE_DATABASE_URL", "BUDGETWISE_SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
    cwd = tmp_path / "project"
    (cwd / ".streamlit").mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return cwd


def test_init_uses_the_data_directory_named_in_secrets_toml(project: Path, tmp_path: Path, capsys) -> None:
    wanted = tmp_path / "from-secrets"
    (project / ".streamlit" / "secrets.toml").write_text(
        f'BUDGETWISE_DATA_DIR = "{wanted}"\nBUDGETWISE_SECRET_KEY = "{TEST_SECRET}"\n', encoding="utf-8")
    assert main(["init"]) == 0
    assert (wanted / "budgetwise.db").is_file()
    assert not (project / "data").exists()
    assert not (wanted / "secret_key").exists()  # the key came from the secrets file
    assert str(wanted) in capsys.readouterr().out


def test_the_environment_wins_over_secrets_toml(project: Path, tmp_path: Path, monkeypatch) -> None:
    (project / ".streamlit" / "secrets.toml").write_text(f'BUDGETWISE_DATA_DIR = "{tmp_path / "toml"}"\n',
                                                         encoding="utf-8")
    monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(tmp_path / "env"))
    assert main(["init"]) == 0
    assert (tmp_path / "env" / "budgetwise.db").is_file()
    assert not (tmp_path / "toml").exists()


def test_a_broken_secrets_file_is_named(project: Path, capsys) -> None:
    (project / ".streamlit" / "secrets.toml").write_text('BUDGETWISE_DATA_DIR = "unterminated\n', encoding="utf-8")
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert "secrets.toml" in err and "Cannot read the secrets file" in err
    assert not (project / "data").exists()
