"""Where the pseudonymisation key comes from, and which keys are refused.

The key is a secret the consultant holds: whoever has it can re-identify pseudonymised ids by
hashing candidate ids. It therefore never lives in code, in a notebook, in the repository or
next to the reports. :func:`resolve_key` finds it, in this order:

1. an explicit ``key`` (checked: at least 16 characters, not a common password or word);
2. the environment variable ``CXLAB_PSEUDONYM_KEY``;
3. a per-project key file, by default ``~/.config/cxlab/keys/<project>.key`` (or
   ``$XDG_CONFIG_HOME/cxlab/keys/...``), created on first use with
   :func:`secrets.token_urlsafe` and file mode 600.

The demo company uses its own public key, :data:`DEMO_KEY`, labelled as not secret.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import tempfile
import unicodedata
from pathlib import Path

from cxlab.errors import CXLabError

__all__ = ["DEMO_KEY", "KEY_ENV", "MIN_KEY_LENGTH", "resolve_key", "check_key", "default_key_path",
           "project_name"]

#: The public key of the demo company. It is in the source code, so it protects nothing:
#: it is used only for the generated demo data (``resolve_key(demo=True)``).
DEMO_KEY = "cxlab-demo-key-NOT-SECRET-public-in-the-source-code"
#: Environment variable that holds a key for the current shell (overrides the key file).
KEY_ENV = "CXLAB_PSEUDONYM_KEY"
#: Environment variable naming the project whose key file is used (default: the folder name).
PROJECT_ENV = "CXLAB_PROJECT"
#: Environment variable naming the folder reports are written to (a key file there is refused).
OUTPUT_ENV = "CXLAB_OUTPUT_DIR"
MIN_KEY_LENGTH = 16
#: The project whose key is used when nothing names one (e.g. a notebook run in a temporary folder).
DEFAULT_PROJECT = "default"

_HOW = ("create a good key with: python -c \"import secrets; print(secrets.token_urlsafe(32))\" "
        f"and put it in the environment variable {KEY_ENV}, or pass no key at all and cxlab creates "
        "a random per-project key file for you")

# Keys that are public or guessable. Compared after lower-casing and removing everything but
# letters and digits, so "Pass-word 123" counts as "password123".
_COMMON = {
    "password", "password1", "password12", "password123", "password1234", "passw0rd", "p4ssw0rd",
    "qwerty", "qwerty123", "qwertyuiop", "qwertyuiopasdfghjkl", "asdfghjkl", "zxcvbnm", "1q2w3e4r",
    "1q2w3e4r5t6y", "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910",
    "11111111", "00000000", "abc123", "abcdef", "abcdefgh", "abcdefghijklmnop", "iloveyou",
    "letmein", "welcome", "welcome1", "admin", "admin123", "administrator", "root", "toor",
    "secret", "secretkey", "mysecret", "mysecretkey", "supersecret", "supersecretkey", "topsecret",
    "changeme", "changeit", "default", "defaultkey", "demo", "demokey", "demokeychangeme", "test",
    "testkey", "testtesttest", "key", "mykey", "privatekey", "pseudonymkey", "monkey", "dragon",
    "football", "baseball", "sunshine", "princess", "master", "shadow", "superman", "batman",
    "trustno1", "whatever", "freedom", "starwars", "hello", "helloworld", "cxlab", "cxlabkey",
    "пароль", "пароль123", "йцукен", "йцукенгшщзх", "секрет", "секретныйключ", "ключ", "привет",
    "qazwsxedc", "qazwsxedcrfv", "zaq12wsx", "1qaz2wsx", "1qaz2wsx3edc", "aaaaaaaa", "passwordpassword",
    "correcthorsebatterystaple",
}
_WEAK_PARTS = ("password", "passw0rd", "qwerty", "12345", "changeme", "пароль", "йцукен", "secret",
               "letmein", "demokey")


def _squash(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def check_key(key, *, allow_demo: bool = False) -> bytes:
    """Check that a key can protect pseudonyms, and return it as bytes.

    A key is refused when it is shorter than 16 characters, is (or is built from) a common
    password or word such as ``"password"`` or ``"changeme"``, uses fewer than 6 distinct
    characters, or is the public demo key (unless ``allow_demo``).

    Parameters
    ----------
    key
        Text or bytes.
    allow_demo
        Accept :data:`DEMO_KEY` (only for the generated demo company).

    Returns
    -------
    bytes
        The key encoded as UTF-8.

    Raises
    ------
    CXLabError
        Saying why the key is weak and how to create a good one.

    Examples
    --------
    >>> len(check_key("9vJk2-QxWm8TzR4pLs0y"))
    20
    >>> check_key("password")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cxlab.errors.CXLabError: the pseudonymisation key is too short (8 characters; at least 16 are needed)...
    """
    if isinstance(key, (bytes, bytearray)):
        raw = bytes(key)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    elif isinstance(key, str):
        text, raw = key, key.encode("utf-8")
    else:
        raise CXLabError(f"the pseudonymisation key must be text, got {type(key).__name__}", fix=_HOW)
    if text is None:  # random bytes: only the length can be judged
        if len(raw) < MIN_KEY_LENGTH:
            raise CXLabError(f"the pseudonymisation key is too short ({len(raw)} bytes; at least "
                             f"{MIN_KEY_LENGTH} are needed)", fix=_HOW)
        return raw
    if text == DEMO_KEY or text.strip() == DEMO_KEY:
        if allow_demo:
            return raw
        raise CXLabError("this is the public demo key, printed in cxlab's source code: it protects nothing "
                         "and is used only for the generated demo company", fix=_HOW)
    text = text.strip()
    if len(text) < MIN_KEY_LENGTH:
        raise CXLabError(f"the pseudonymisation key is too short ({len(text)} characters; at least "
                         f"{MIN_KEY_LENGTH} are needed)", fix=_HOW)
    squashed = _squash(text)
    if squashed in _COMMON or any(squashed == p * (len(squashed) // len(p)) for p in _COMMON if p and
                                  len(squashed) % len(p) == 0):
        raise CXLabError("the pseudonymisation key is a common password or word, which anyone can guess",
                         fix=_HOW)
    if _dictionary_word(text.strip()):
        raise CXLabError("the pseudonymisation key is a single dictionary word or name, which a word list guesses",
                         fix=_HOW)
    if len(set(squashed)) < 6:
        raise CXLabError("the pseudonymisation key uses too few different characters to be guessed hard",
                         fix=_HOW)
    if len(squashed) < 24 and any(p in squashed for p in _WEAK_PARTS):
        raise CXLabError("the pseudonymisation key is built on a common password (e.g. 'password', "
                         "'qwerty', 'secret') and is short", fix=_HOW)
    return text.encode("utf-8")


def _folder_project() -> str:
    cwd = Path.cwd().resolve()
    # A notebook executed by a runner (papermill, cxlab report) sits in a fresh temporary folder
    # (/tmp/tmpab12cd): its name changes every run and would give a new key, and new pseudonyms, each time.
    if cwd.parent == Path(tempfile.gettempdir()).resolve() and cwd.name.startswith("tmp"):
        return DEFAULT_PROJECT
    return cwd.name


def _dictionary_word(text: str) -> bool:
    """A key made of one word (letters only) that a Russian dictionary or cxlab's English word and name
    lists know, also when written twice ("internationalization", «достопримечательность»)."""
    word = unicodedata.normalize("NFKC", text).lower()
    if not word.isalpha():
        return False
    half = len(word) // 2
    candidates = {word} | ({word[:half]} if word[:half] * 2 == word else set())
    from cxlab.privacy.names import _latin_lists, _morph

    first, last, common = _latin_lists()
    for w in candidates:
        if w in first or w in last or w in common or w in _COMMON:
            return True
        if any("а" <= ch <= "я" or ch == "ё" for ch in w) and _morph().word_is_known(w):
            return True
        if w.isascii() and _english_word(w):
            return True
    return False


def _english_word(word: str) -> bool:
    """An English word: in Faker's list of common English words, alone or with a common suffix.
    (A small list: long English words outside it are not caught; the length rule still applies.)"""
    from cxlab.privacy.names import _latin_lists

    common = _latin_lists()[2]
    for suffix in ("", "s", "es", "ed", "ing", "ly", "ness", "ment", "ation", "ization", "isation", "ity", "al"):
        if suffix and word.endswith(suffix) and word[: -len(suffix)] in common:
            return True
    return False


def project_name(project: str | None = None) -> str:
    """The project name that picks the key file: given, else ``$CXLAB_PROJECT``, else the folder name.

    The name is reduced to letters, digits, ``-``, ``_`` and ``.`` so it is a safe file name. In a
    temporary folder made by a notebook runner the folder name means nothing, and the project is
    ``"default"``.

    Examples
    --------
    >>> project_name("ACME retail / 2025")
    'acme-retail-2025'
    """
    name = project if project is not None else os.environ.get(PROJECT_ENV) or _folder_project()
    slug = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKC", str(name)).strip().lower()).strip("-.")
    if not slug:
        raise CXLabError(f"cannot derive a project name from {name!r}",
                         fix="pass project='client-name' (it names the key file)")
    return slug


def _config_home() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME")
    return Path(base) if base else Path.home() / ".config"


def default_key_path(project: str | None = None) -> Path:
    """Where the key file of a project lives: ``~/.config/cxlab/keys/<project>.key``.

    ``$XDG_CONFIG_HOME`` replaces ``~/.config`` when it is set.

    Examples
    --------
    >>> default_key_path("ACME").name
    'acme.key'
    """
    return _config_home() / "cxlab" / "keys" / f"{project_name(project)}.key"


def _inside_repository(path: Path) -> Path | None:
    for parent in [path.parent, *path.parent.parents]:
        if (parent / ".git").exists() or (parent / "pyproject.toml").exists() and (parent / "cxlab").is_dir():
            return parent
    return None


def _refuse_location(path: Path, output_dir) -> None:
    resolved = path.expanduser().resolve()
    repo = _inside_repository(resolved)
    if repo is not None:
        raise CXLabError(f"the key file {resolved} would be inside the repository {repo}, from where it can "
                         "be committed or shared", file=str(resolved),
                         fix="keep the key outside any repository: pass no path (the default is "
                             "~/.config/cxlab/keys/<project>.key) or a path in your home folder")
    if any(part.lower() == "reports" for part in resolved.parts[:-1]):
        raise CXLabError(f"the key file {resolved} would be inside a reports folder, which is handed to clients",
                         file=str(resolved), fix="choose a path outside reports/ (or pass no path)")
    outputs = [output_dir] if output_dir is not None else []
    if os.environ.get(OUTPUT_ENV):
        outputs.append(os.environ[OUTPUT_ENV])
    for out in outputs:
        out = Path(out).expanduser().resolve()
        if resolved == out or out in resolved.parents:
            raise CXLabError(f"the key file {resolved} would be inside the output folder {out}, which is "
                             "handed to clients", file=str(resolved),
                             fix="choose a path outside the output folder (or pass no path)")


def _read_or_create(path: Path) -> str:
    path = path.expanduser()
    if path.exists():
        if os.name == "posix":
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                raise CXLabError(f"the key file can be read by other users (mode {mode:o})", file=str(path),
                                 fix=f"run: chmod 600 {path}")
        text = path.read_text(encoding="utf-8").strip()
        try:
            check_key(text)
        except CXLabError as err:
            raise CXLabError(f"the key file holds a weak key: {err.problem}", file=str(path),
                             fix=f"delete the file to have cxlab create a random key (pseudonyms will change), "
                                 f"or {_HOW}") from None
        return text
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask was
    return key


def resolve_key(key: str | bytes | None = None, *, demo: bool = False, project: str | None = None,
                path: str | os.PathLike | None = None, output_dir: str | os.PathLike | None = None) -> str:
    """The pseudonymisation key to use: explicit, else the environment, else the project key file.

    Parameters
    ----------
    key
        An explicit key (e.g. the notebook parameter ``pseudonym_key``). ``None`` or ``""``
        means "find it". Refused when weak (see :func:`check_key`).
    demo
        The data is the generated demo company: use the public :data:`DEMO_KEY` (unless an
        explicit key is given). Never use it for real data.
    project
        Project name that picks the key file (default ``$CXLAB_PROJECT`` or the current
        folder's name); e.g. the client name.
    path
        Key file to use instead of ``~/.config/cxlab/keys/<project>.key``.
    output_dir
        The folder reports are written to; a key file inside it is refused (so is one inside
        a ``reports`` folder, a git repository or cxlab's own source tree). ``$CXLAB_OUTPUT_DIR``
        is checked as well.

    Returns
    -------
    str
        The key. Pass it on (``pseudonymise(ids, key=key)``); never print it.

    Raises
    ------
    CXLabError
        For a weak key, a key file in a place that is handed over or committed, or a key
        file other users can read.

    Examples
    --------
    >>> resolve_key(demo=True)
    'cxlab-demo-key-NOT-SECRET-public-in-the-source-code'
    >>> resolve_key("9vJk2-QxWm8TzR4pLs0y")
    '9vJk2-QxWm8TzR4pLs0y'
    """
    if key is not None and not (isinstance(key, str) and not key.strip()):
        raw = check_key(key, allow_demo=demo)
        return raw.decode("utf-8") if isinstance(key, str) else key  # type: ignore[return-value]
    if demo:
        return DEMO_KEY
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        try:
            check_key(env)
        except CXLabError as err:
            raise CXLabError(f"the key in the environment variable {KEY_ENV} is weak: {err.problem}",
                             fix=_HOW) from None
        return env
    file = Path(path) if path is not None else default_key_path(project)
    _refuse_location(file, output_dir)
    return _read_or_create(file)
