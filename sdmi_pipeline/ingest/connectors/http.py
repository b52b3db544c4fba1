"""What the live connectors share: one GET with timeout, retries and secret redaction, and atomic writes.

Settings come from the environment: `SDMI_HTTP_TIMEOUT` (seconds a connection or a read may take, default
60) and `SDMI_HTTP_BACKOFF` (seconds before the first retry, doubled before the second; default 1, tests
use 0). Connection errors, timeouts and 5xx answers are retried twice; any other answer is returned as it
came. A secret handed to `HttpClient` (an API key in a URL path) is replaced by `***` in every message,
in this module's log lines and in the log lines of requests and urllib3 while the client is open.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlencode

import requests

log = logging.getLogger(__name__)

TIMEOUT_ENV = "SDMI_HTTP_TIMEOUT"
BACKOFF_ENV = "SDMI_HTTP_BACKOFF"
DEFAULT_TIMEOUT = 60.0
DEFAULT_BACKOFF = 1.0
RETRIES = 2
REDACTED = "***"
# Loggers that may write a request's URL: requests itself and urllib3's connection pool (DEBUG level).
LIBRARY_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3", "requests")


class ConfigError(Exception):
    """A setting the fetch needs is missing or malformed; nothing was fetched."""


class FetchError(Exception):
    """The fetch failed or its answer was refused."""


def user_agent() -> str:
    """The User-Agent sent with every request: the pipeline, its version and who runs it."""
    try:
        release = version("sdmi-pipeline")
    except PackageNotFoundError:
        release = "dev"
    return f"sdmi-pipeline/{release} (SDMI data pipeline, Statistics Indonesia / BPS)"


def _seconds(name: str, default: float, *, allow_zero: bool) -> float:
    """A number of seconds from the environment variable `name`, or `default` when it is unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        least = "0 or more" if allow_zero else "more than 0"
        raise ConfigError(f"{name} must be a number of seconds, {least}; got {raw!r}")
    return value


@dataclass(frozen=True)
class HttpSettings:
    """Timeout per connection and per read, retries after the first attempt, and the first backoff."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = RETRIES
    backoff: float = DEFAULT_BACKOFF

    @classmethod
    def from_env(cls) -> HttpSettings:
        """Settings from `SDMI_HTTP_TIMEOUT` and `SDMI_HTTP_BACKOFF` (ConfigError when malformed)."""
        return cls(
            timeout=_seconds(TIMEOUT_ENV, DEFAULT_TIMEOUT, allow_zero=False),
            backoff=_seconds(BACKOFF_ENV, DEFAULT_BACKOFF, allow_zero=True),
        )


class Redactor:
    """Replaces each secret, as given and URL-quoted, by `***` in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        self.secrets = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


class _RedactingFilter(logging.Filter):
    """Rewrites a log record whose message holds a secret; never drops a record."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: the URL as it may be shown (secrets redacted), the status and the raw body."""

    url: str
    status: int
    body: bytes

    def json(self) -> Any:
        """The body parsed as UTF-8 JSON; FetchError naming the URL unless the status is 200 and it parses."""
        if self.status != 200:
            raise FetchError(f"{self.url} answered HTTP {self.status}")
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise FetchError(f"{self.url} answered a body that is not UTF-8 text") from None
        except json.JSONDecodeError as error:
            start = self.body[:40].decode("utf-8", "replace").replace("\n", " ")
            raise FetchError(
                f"{self.url} answered a body that is not JSON ({error.msg}; starts {start!r})"
            ) from None


def _describe(error: requests.RequestException, timeout: float) -> str:
    """A short account of a connection failure (the caller redacts it)."""
    if isinstance(error, requests.ConnectTimeout):
        return f"no connection within {timeout:g} s"
    if isinstance(error, requests.ReadTimeout):
        return f"no answer within {timeout:g} s"
    reason = re.search(r"\[Errno -?\d+\][^'\"()]*", str(error))
    if reason:
        return f"connection failed: {reason.group(0).strip()}"
    return f"{type(error).__name__}: {error}"


class HttpClient:
    """GETs through one session; use as a context manager so the session closes and log filters go."""

    def __init__(self, settings: HttpSettings | None = None, secrets: Iterable[str] = ()) -> None:
        self.settings = settings or HttpSettings.from_env()
        self.redact = Redactor(secrets)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent(), "Accept": "application/json"})
        self._filter = _RedactingFilter(self.redact)
        self._loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS] if self.redact.secrets else []

    def __enter__(self) -> HttpClient:
        for logger in self._loggers:
            logger.addFilter(self._filter)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.session.close()
        for logger in self._loggers:
            logger.removeFilter(self._filter)

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> Answer:
        """GET `url?params`: retried on connection errors, timeouts and 5xx; any other status returned.

        Raises FetchError (secrets redacted, no chained exception) when every attempt failed.
        """
        full = f"{url}?{urlencode(params)}" if params else url
        shown = self.redact(full)
        attempts = self.settings.retries + 1
        problem = ""
        for attempt in range(1, attempts + 1):
            try:
                response = self.session.get(full, timeout=self.settings.timeout)
            except (requests.ConnectionError, requests.Timeout) as error:
                problem = self.redact(_describe(error, self.settings.timeout))
            except requests.RequestException as error:
                problem = self.redact(f"{type(error).__name__}: {error}")
                break
            else:
                if response.status_code < 500:
                    log.info("GET %s -> HTTP %d", shown, response.status_code)
                    return Answer(shown, response.status_code, response.content)
                problem = f"HTTP {response.status_code}"
            if attempt < attempts:
                delay = self.settings.backoff * 2 ** (attempt - 1)
                log.warning(
                    "GET %s: %s; retry %d of %d in %g s", shown, problem, attempt, attempts - 1, delay
                )
                time.sleep(delay)
        else:
            raise FetchError(f"{shown}: {problem} (gave up after {attempts} attempts)")
        raise FetchError(f"{shown}: {problem}")


def base_url(env: str, default: str) -> str:
    """An API base URL from `env` (or `default`), with a trailing slash; ConfigError unless http(s)."""
    url = os.environ.get(env, "").strip() or default
    if not re.match(r"https?://[^/]", url):
        raise ConfigError(f"{env} must be an http:// or https:// URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def json_int(value: Any) -> int | None:
    """An integer as JSON may carry it (a number or a string of digits), else None; booleans are not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace.

    A failure leaves `path` as it was (absent or the previous good file) and no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise FetchError(f"could not write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise FetchError(f"could not write {path}: {error.strerror or error}") from None
        raise
