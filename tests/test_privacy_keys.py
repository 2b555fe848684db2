"""Tests for cxlab.privacy keys and pseudonyms: keys that protect, one pseudonym format, normalised ids."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

import numpy as np
import pandas as pd
import pytest

from cxlab.errors import CXLabError
from cxlab.privacy import (DEMO_KEY, KEY_ENV, check_key, default_key_path, is_pseudonym, normalise_id,
                           pseudonymise, resolve_key)

GOOD = "Zr7-kQ2pX9wLm4tVb8nC"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private config home and a working folder, with no key in the environment."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv("CXLAB_PROJECT", raising=False)
    monkeypatch.delenv("CXLAB_OUTPUT_DIR", raising=False)
    work = tmp_path / "acme-project"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


# ------------------------------------------------------------------------------------------
# weak keys
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["password", "short-key", "password12345678", "Password-123456789",
                                 "1234567890123456", "qwertyuiopasdfgh", "aaaaaaaaaaaaaaaaaaaa",
                                 "demo-key-change-me", "changeme-changeme", "пароль-пароль-пароль",
                                 "correct horse battery staple", "abababababababababab", "",
                                 "достопримечательность", "сельскохозяйственный", "ChristopherChristopher"])
def test_weak_keys_are_refused_with_a_fix(key):
    with pytest.raises(CXLabError, match="What to do: create a good key") as err:
        check_key(key)
    assert "secrets.token_urlsafe" in str(err.value)


def test_weak_keys_refused_everywhere(home, monkeypatch):
    with pytest.raises(CXLabError, match="too short"):
        resolve_key("password")
    with pytest.raises(CXLabError, match="common password"):
        pseudonymise("123", key="passwordpassword")
    monkeypatch.setenv(KEY_ENV, "qwerty")
    with pytest.raises(CXLabError, match=KEY_ENV):
        resolve_key()


def test_demo_key_only_for_the_demo(home, monkeypatch):
    monkeypatch.setenv(KEY_ENV, GOOD)  # a user's real key is never used for the demo company
    assert resolve_key(demo=True) == DEMO_KEY
    assert "NOT-SECRET" in DEMO_KEY
    with pytest.raises(CXLabError, match="public demo key"):
        resolve_key(DEMO_KEY)
    assert resolve_key(GOOD, demo=True) == GOOD  # an explicit key wins
    assert resolve_key(DEMO_KEY, demo=True) == DEMO_KEY  # a notebook may pass the demo key for the demo


def test_explicit_key_wins_then_environment_then_file(home, monkeypatch):
    assert resolve_key(GOOD) == GOOD
    monkeypatch.setenv(KEY_ENV, "  " + GOOD[::-1] + "\n")
    assert resolve_key() == GOOD[::-1]
    assert resolve_key(GOOD) == GOOD
    monkeypatch.delenv(KEY_ENV)
    from_file = resolve_key()
    assert from_file not in (GOOD, GOOD[::-1]) and len(from_file) >= 40
    assert (home / "config" / "cxlab" / "keys" / "acme-project.key").exists()


# ------------------------------------------------------------------------------------------
# the key file
# ------------------------------------------------------------------------------------------
def test_key_file_created_with_mode_600_outside_output_and_stable(home):
    out = home / "acme-project" / "reports" / "acme"
    key = resolve_key(project="ACME Retail", output_dir=out)
    path = default_key_path("ACME Retail")
    assert path == home / "config" / "cxlab" / "keys" / "acme-retail.key"
    assert path.read_text(encoding="utf-8").strip() == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert out.resolve() not in path.resolve().parents
    check_key(key)  # the generated key passes our own check
    assert resolve_key(project="ACME Retail") == key  # same project, same key: pseudonyms stay stable
    assert resolve_key(project="other client") != key


def test_key_file_refused_in_repository_reports_or_output(home, monkeypatch):
    repo = home / "clone"
    (repo / ".git").mkdir(parents=True)
    with pytest.raises(CXLabError, match="inside the repository") as err:
        resolve_key(path=repo / "secrets" / "project.key")
    assert "What to do" in str(err.value)
    with pytest.raises(CXLabError, match="reports folder"):
        resolve_key(path=home / "work" / "reports" / "project.key")
    out = home / "deliverables" / "acme"
    with pytest.raises(CXLabError, match="output folder"):
        resolve_key(path=out / "keys" / "acme.key", output_dir=out)
    monkeypatch.setenv("CXLAB_OUTPUT_DIR", str(out))
    with pytest.raises(CXLabError, match="output folder"):
        resolve_key(path=out / "acme.key")
    assert not any(p.suffix == ".key" for p in home.rglob("*"))  # nothing was written


def test_key_file_readable_by_others_is_refused(home):
    path = home / "keys" / "acme.key"
    resolve_key(path=path)
    if os.name != "posix":
        pytest.skip("file modes are POSIX-only")
    os.chmod(path, 0o644)
    with pytest.raises(CXLabError, match="chmod 600"):
        resolve_key(path=path)


def test_weak_key_in_file_is_refused(home):
    path = home / "keys" / "weak.key"
    path.parent.mkdir()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"password\n")
    os.close(fd)
    with pytest.raises(CXLabError, match="weak key"):
        resolve_key(path=path)


# ------------------------------------------------------------------------------------------
# pseudonyms
# ------------------------------------------------------------------------------------------
def test_pseudonym_is_hmac_sha256_rfc4231():
    # Reference: RFC 4231, test case 2 (HMAC-SHA256, key "Jefe", data "what do ya want for nothing?").
    # The standard library's HMAC is first pinned to that vector; the pseudonym must then be
    # "P" + the first 12 hex characters of that HMAC of the normalised id.
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest() == expected
    ref = hmac.new(GOOD.encode(), b"1234", hashlib.sha256).hexdigest()
    assert pseudonymise("0001234", key=GOOD) == "P" + ref[:12]
    ref = hmac.new(GOOD.encode(), b"C-0001234", hashlib.sha256).hexdigest()
    assert pseudonymise(" C-0001234 ", key=GOOD) == "P" + ref[:12]


def test_one_format_everywhere():
    values = [pseudonymise(v, key=GOOD) for v in ["1", "0005116", "C-9", "a" * 200, "Иван"]]
    assert {len(v) for v in values} == {13}
    assert all(is_pseudonym(v) for v in values)
    with pytest.raises(TypeError):
        pseudonymise("1", key=GOOD, length=8)  # the length is fixed: one format in figures and tables


@pytest.mark.parametrize("same", [123, 123.0, np.int64(123), "000123", "123", " 123 ", "123.0", "１２３",
                                  "\u200b000123\ufeff", "123\u00ad"])
def test_numeric_ids_with_leading_zeros_are_the_same_customer(same):
    assert normalise_id(same) == "123"
    assert pseudonymise(same, key=GOOD) == pseudonymise("000123", key=GOOD)


def test_ids_that_are_not_the_same():
    p = lambda v: pseudonymise(v, key=GOOD)  # noqa: E731
    assert p("C000123") != p("C123")  # zeros after a letter are kept
    assert p("ab12") != p("AB12")  # case is kept
    assert p("12 3") != p("123")
    assert normalise_id("  a \t b ") == "a b"
    with pytest.raises(CXLabError, match="decimals"):
        normalise_id(12.5)


def test_shapes_missing_values_and_index():
    ids = pd.Series(["001", "002", None, "1", pd.NA], index=[5, 6, 7, 8, 9], name="customer_id", dtype="object")
    out = pseudonymise(ids, key=GOOD)
    assert out.dtype == "string" and out.name == "customer_id" and out.index.tolist() == [5, 6, 7, 8, 9]
    assert out[5] == out[8] != out[6] and out[7] is pd.NA and out[9] is pd.NA
    assert pseudonymise(pd.Index(["1", "2"]), key=GOOD) == [pseudonymise("1", key=GOOD), pseudonymise("2", key=GOOD)]
    assert pseudonymise(np.array([1, 2]), key=GOOD) == pseudonymise(["1", "2"], key=GOOD)
    assert pseudonymise(None, key=GOOD) is None


def test_no_collisions_and_different_keys_give_unrelated_pseudonyms():
    ids = [f"{i:07d}" for i in range(20000)]
    a = pseudonymise(ids, key=GOOD)
    b = pseudonymise(ids, key=GOOD[:-1] + "X")  # one character changed
    assert len(set(a)) == len(ids) and len(set(b)) == len(ids)
    assert not set(a) & set(b)
    # unrelated: hex digits agree at chance level (1/16 per position) and ranks are uncorrelated
    agree = np.mean([x == y for pa, pb in zip(a, b) for x, y in zip(pa[1:], pb[1:])])
    assert abs(agree - 1 / 16) < 0.005
    ra = pd.Series([int(x[1:], 16) for x in a]).rank()
    rb = pd.Series([int(x[1:], 16) for x in b]).rank()
    assert abs(np.corrcoef(ra, rb)[0, 1]) < 0.03


def test_without_the_key_pseudonyms_cannot_be_matched_to_ids():
    # The attack that broke the old reports: hash every possible 7-digit id with the keys an
    # attacker can know (the old public key, the demo key, no key) and look the pseudonyms up.
    real_ids = [f"{i:07d}" for i in range(5000, 5300)]
    secret = resolve_key(GOOD)
    published = set(pseudonymise(real_ids, key=secret))
    candidates = [f"{i:07d}" for i in range(0, 20000)]
    guesses = set()
    for guess_key in (DEMO_KEY, "demo-key-change-me", "password", ""):  # keys an attacker can try
        for c in candidates:
            for norm in (c, c.lstrip("0")):
                guesses.add("P" + hmac.new(guess_key.encode(), norm.encode(), hashlib.sha256).hexdigest()[:12])
    for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):  # plain unkeyed hashes
        for c in candidates:
            for norm in (c, c.lstrip("0")):
                h = digest(norm.encode()).hexdigest()
                guesses.add("P" + h[:12])
                guesses.add("P" + h[:8])
    assert not published & guesses
    # with the key, the same ids map back (what the key holder can do, and only they)
    lookup = dict(zip(pseudonymise(candidates, key=secret), candidates))
    assert all(lookup[p] == i for p, i in zip(pseudonymise(real_ids, key=secret), real_ids))


def test_readme_privacy_example_runs(tmp_path):
    # The README's "Privacy" section shows the calls to make before showing rows; run them as written.
    import subprocess
    import sys
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## Privacy" in text and "GDPR (Recital 26)" in text and "152-FZ" in text
    block = text[text.index("<!-- readme-privacy -->"):]
    block = block[block.index("```python") + len("```python"):]
    code = block[:block.index("```")] + (
        "\nout = privacy.safe_view(tables.survey_responses, key=key, known_names=names)"
        "\nassert 'email' not in out.columns and out['customer_id'].dropna().map(privacy.is_pseudonym).all()"
        "\nprint(key == privacy.DEMO_KEY, sorted(privacy.personal_columns(tables.interactions)))")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop(KEY_ENV, None)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ("True ['customer_id', 'email', 'handle', 'interaction_id', 'name', 'phone']")


def test_runner_temp_folder_uses_the_default_project(home, monkeypatch, tmp_path):
    # cxlab report runs notebooks in a fresh /tmp/tmpXXXX folder: deriving the project from that name
    # would make a new key, and new pseudonyms, on every run.
    import tempfile

    from cxlab.privacy import project_name

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for _ in range(2):
        run_dir = tempfile.mkdtemp()
        monkeypatch.chdir(run_dir)
        assert project_name() == "default"
    first = resolve_key()
    monkeypatch.chdir(tempfile.mkdtemp())
    assert resolve_key() == first
    monkeypatch.setenv("CXLAB_PROJECT", "ACME")
    assert project_name() == "acme" and resolve_key() != first


@pytest.mark.parametrize("key", [GOOD, "Ёж7-пЩ2ъЮ9_зЛ4фД8рЖ", GOOD * 4, DEMO_KEY])
def test_fast_hmac_equals_the_standard_library(key):
    # our precomputed-state HMAC (RFC 2104) against Python's hmac, including keys longer than the
    # 64-byte block (RFC 2104: such keys are hashed first) and non-ASCII keys
    ids = ["1", "C-0001234", "Иван", "x" * 300]
    want = ["P" + hmac.new(key.encode(), normalise_id(i).encode(), hashlib.sha256).hexdigest()[:12] for i in ids]
    assert pseudonymise(ids, key=key) == want
