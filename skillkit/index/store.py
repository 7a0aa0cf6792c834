"""Where indexes and archives live: a local folder (path or ``file://``), ``s3://bucket/prefix``
(boto3, with the user's usual credentials), or ``https://`` (read-only).

Every backend offers the same small contract: read a key, write a key atomically, and a
compare-and-swap write (`write_if`) that `publish` uses so concurrent publishers never lose each
other's versions.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from skillkit.fsutil import atomic_write_bytes
from skillkit.index.errors import StoreError

INDEX_NAME = "index.json"
#: a directory lock older than this is considered abandoned by a crashed publisher.
STALE_LOCK_SECONDS = 60.0
LOCK_TIMEOUT_SECONDS = 30.0


def write_public(path: Path, data: bytes) -> None:
    """Atomic write, then the usual 0644 mode (temp files are created 0600): indexes and
    archives are meant to be read by servers and other users."""
    atomic_write_bytes(path, data)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o644)


def _check_key(key: str) -> str:
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or "\\" in key or any(p in ("..", ".") for p in parts):
        raise StoreError(f"refusing the path {key!r}: it must stay inside the index location")
    return key


class Store(ABC):
    """A flat key -> bytes namespace (keys are ``/``-separated, relative to the index)."""

    #: how to show this location to a user.
    url: str

    @abstractmethod
    def read_versioned(self, key: str) -> tuple[bytes, str] | None:
        """The content and version token (ETag) of `key`, or None when it does not exist."""

    def read(self, key: str) -> bytes:
        found = self.read_versioned(key)
        if found is None:
            raise StoreError(f"{self.describe(key)} does not exist")
        return found[0]

    @abstractmethod
    def etag(self, key: str) -> str | None:
        """The current version token of `key` (None: missing), without reading it if possible."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def write(self, key: str, data: bytes) -> None:
        """Write `key` atomically: readers see the old or the new content, never a part."""

    @abstractmethod
    def write_if(self, key: str, data: bytes, expected: str | None) -> str | None:
        """Write `key` only if its version is still `expected` (None: only if it is absent).

        Returns the new version token, or None when someone else changed it first.
        """

    def describe(self, key: str) -> str:
        return f"{self.url.rstrip('/')}/{key}"


def _content_etag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalStore(Store):
    """A folder on disk. Compare-and-swap holds an exclusive lock file (O_EXCL) for the write."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = str(root)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def read_versioned(self, key: str) -> tuple[bytes, str] | None:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StoreError(f"{self.describe(key)} is a folder, not a file") from None
        except OSError as exc:
            raise StoreError(f"cannot read {self.describe(key)}: {exc.strerror}") from None
        return data, _content_etag(data)

    def etag(self, key: str) -> str | None:
        found = self.read_versioned(key)
        return found[1] if found else None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def write(self, key: str, data: bytes) -> None:
        try:
            write_public(self._path(key), data)
        except OSError as exc:
            raise StoreError(f"cannot write {self.describe(key)}: {exc.strerror}") from None

    def write_if(self, key: str, data: bytes, expected: str | None) -> str | None:
        with self.lock(key):
            current = self.etag(key)
            if current != expected:
                return None
            self.write(key, data)
            return _content_etag(data)

    @contextlib.contextmanager
    def lock(self, key: str) -> Any:
        """An exclusive lock beside `key`, taken with O_CREAT|O_EXCL; stale locks are broken."""
        path = self._path(key + ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        delay = 0.005
        while True:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _lock_is_stale(path):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                    continue
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"{path} has been locked by another publisher for over "
                        f"{LOCK_TIMEOUT_SECONDS:.0f} s; if no publish is running, delete it"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
                continue
            except OSError as exc:
                raise StoreError(f"cannot create the lock {path}: {exc.strerror}") from None
            break
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(f"{socket.gethostname()} {os.getpid()}\n")
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _lock_is_stale(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").split()
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False  # released meanwhile: just retry
    except OSError:
        return False
    if age > STALE_LOCK_SECONDS:
        return True
    # The owner crashed on this very machine: its pid no longer exists.
    if len(text) == 2 and text[0] == socket.gethostname() and text[1].isdigit():
        try:
            os.kill(int(text[1]), 0)
        except ProcessLookupError:
            return age > 1.0  # give a just-written lock a moment
        except PermissionError:
            return False
    return False


@dataclass(frozen=True)
class S3Options:
    """How to reach S3: the usual boto3 chain (env, profile, instance role), plus overrides."""

    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None


class S3Store(Store):
    """``s3://bucket/prefix``. Compare-and-swap uses conditional PUTs (If-Match/If-None-Match)."""

    def __init__(self, bucket: str, prefix: str, options: S3Options | None = None) -> None:
        from skillkit.extras import require

        require("s3")  # up front: a missing boto3 is a setup problem, not a failed read
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.options = options or S3Options()
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            import botocore.config

            try:
                session = boto3.session.Session(
                    profile_name=self.options.profile, region_name=self.options.region
                )
                self._client = session.client(
                    "s3",
                    endpoint_url=self.options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3"),
                    config=botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"}),
                )
            except Exception as exc:
                raise StoreError(f"cannot set up the S3 client: {exc}") from None
        return self._client

    def _key(self, key: str) -> str:
        key = _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, action: str, key: str, exc: Exception) -> StoreError:
        code = _error_code(exc)
        hint = ""
        if code in ("NoSuchBucket",):
            hint = f"; create the bucket {self.bucket!r} or check its name"
        elif code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            hint = "; check your AWS credentials/--profile and the bucket policy"
        elif "credentials" in str(exc).lower():
            hint = "; configure AWS credentials (env vars, ~/.aws, or --profile)"
        return StoreError(f"cannot {action} {self.describe(key)}: {exc}{hint}")

    def read_versioned(self, key: str) -> tuple[bytes, str] | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            data: bytes = response["Body"].read()
        except Exception as exc:
            if _error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise self._fail("read", key, exc) from None
        return data, str(response["ETag"])

    def etag(self, key: str) -> str | None:
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if _error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise self._fail("read", key, exc) from None
        return str(response["ETag"])

    def exists(self, key: str) -> bool:
        return self.etag(key) is not None

    def write(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        except Exception as exc:
            raise self._fail("write", key, exc) from None

    def write_if(self, key: str, data: bytes, expected: str | None) -> str | None:
        condition = {"IfMatch": expected} if expected is not None else {"IfNoneMatch": "*"}
        try:
            response = self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data, **condition
            )
        except Exception as exc:
            if _error_code(exc) in (
                "PreconditionFailed",
                "412",
                "ConditionalRequestConflict",
                "409",
                "NoSuchKey",
            ):
                return None
            raise self._fail("write", key, exc) from None
        return str(response["ETag"])


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


class HttpStore(Store):
    """``https://`` (or ``http://``) base URL: read-only, for loading a published index."""

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        self.url = base.rstrip("/")
        self.timeout = timeout

    def _request(self, key: str, method: str) -> tuple[bytes, str] | None:
        url = f"{self.url}/{urllib.parse.quote(_check_key(key))}"
        request = urllib.request.Request(url, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read() if method == "GET" else b""
                tag = response.headers.get("ETag") or response.headers.get("Last-Modified")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise StoreError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot fetch {url}: {reason}") from None
        return data, tag or (_content_etag(data) if method == "GET" else "")

    def read_versioned(self, key: str) -> tuple[bytes, str] | None:
        return self._request(key, "GET")

    def etag(self, key: str) -> str | None:
        found = self._request(key, "HEAD")
        if found is not None and not found[1]:
            got = self.read_versioned(key)
            return got[1] if got else None
        return found[1] if found else None

    def exists(self, key: str) -> bool:
        return self._request(key, "HEAD") is not None

    def write(self, key: str, data: bytes) -> None:
        raise StoreError(f"{self.url} is read-only: publish to a folder or an s3:// bucket")

    def write_if(self, key: str, data: bytes, expected: str | None) -> str | None:
        self.write(key, data)
        return None


def open_location(
    location: str | os.PathLike[str], s3: S3Options | None = None
) -> tuple[Store, str]:
    """Split a location into its store and the index key inside it.

    A location names either the index file (``…/index.json``, any ``*.json``) or the folder
    holding ``index.json``: a path, ``file://``, ``s3://bucket/prefix`` or ``https://``.
    """
    text = os.fspath(location)
    parsed = urllib.parse.urlparse(text)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise StoreError(f"{text!r}: an S3 location looks like s3://bucket/prefix")
        prefix, key = _split_index(parsed.path.strip("/"))
        return S3Store(parsed.netloc, prefix, s3), key
    if parsed.scheme in ("http", "https"):
        path, key = _split_index(parsed.path.rstrip("/"))
        base = urllib.parse.urlunparse(parsed._replace(path=path, query="", fragment=""))
        return HttpStore(base), key
    local: Path
    if parsed.scheme == "file":
        local = Path(urllib.request.url2pathname(parsed.path))
    elif parsed.scheme and len(parsed.scheme) > 1:
        raise StoreError(
            f"{text!r}: unsupported location scheme {parsed.scheme!r} "
            "(use a path, file://, s3:// or https://)"
        )
    else:
        local = Path(text)
    if local.suffix == ".json" or local.is_file():
        return LocalStore(local.parent), local.name
    return LocalStore(local), INDEX_NAME


def local_path(location: str | os.PathLike[str]) -> Path | None:
    """The filesystem path a location names (a path or ``file://``), or None for a URL."""
    text = os.fspath(location)
    parsed = urllib.parse.urlparse(text)
    if parsed.scheme == "file":
        return Path(urllib.request.url2pathname(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:
        return None
    return Path(text)


def _split_index(path: str) -> tuple[str, str]:
    if path.endswith(".json"):
        head, _, name = path.rpartition("/")
        return head, name
    return path, INDEX_NAME
