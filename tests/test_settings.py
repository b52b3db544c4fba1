"""sdmi.toml: a setting that names no known choice is refused, not read as another."""

from pathlib import Path

import pytest

from sdmi_pipeline.settings import load_settings


def test_an_unknown_audit_is_refused_and_each_known_one_is_read(tmp_path: Path):
    config = tmp_path / "sdmi.toml"
    config.write_text('[disclosure]\naudit = "intervals"\n')
    with pytest.raises(ValueError, match="intervals"):
        load_settings(config)
    for kind in ("linear", "bounds", "interval", "exact"):
        config.write_text(f'[disclosure]\naudit = "{kind}"\n')
        assert load_settings(config).disclosure_audit == kind
    assert load_settings(tmp_path / "missing.toml").disclosure_audit == "interval"
