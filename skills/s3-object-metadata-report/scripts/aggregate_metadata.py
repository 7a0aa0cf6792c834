#!/usr/bin/env python3
"""Aggregate the metadata of every object in an S3 bucket (or under a prefix) into one JSON report.

One ``ListObjectsV2`` page carries up to 1,000 objects' key, size, storage class and
modification time, so a whole bucket's shape comes out of a few paginated calls in one
process, instead of hundreds of separate tool calls that each pass raw listings through an
agent's context. Only the aggregates are printed.

Two ways to run it:

* Locally or in CI, with boto3 and normal AWS credentials::

      python aggregate_metadata.py my-bucket --prefix logs/ --depth 2 --output report.json

  ``AWS_ENDPOINT_URL`` (or ``--endpoint-url``) points it at an S3-compatible server.

* Inside the AWS MCP Server's sandboxed ``run_script`` tool, which has no network except its
  ``call_boto3`` helper: send this file's text as ``code`` followed by one line that awaits
  ``report_with_call_boto3(call_boto3, "my-bucket", prefix="logs/")`` and prints it
  (see ``SKILL.md``). The command-line driver at the bottom is skipped there.

Exit status: 0 report written, 2 usage error or the bucket could not be listed (the reason is
printed on stderr as one line; never a traceback).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import re
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

# The run_script sandbox blocks ``datetime``, ``time`` and ``random``: times are kept as POSIX
# seconds (UTC) and converted by hand below, and the sample is chosen by key hash.
SCHEMA_VERSION = 1
#: (upper bound in days, inclusive; label). ``None`` is the open-ended last bucket.
AGE_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (30, "0-30d"),
    (90, "31-90d"),
    (365, "91-365d"),
    (None, "over-365d"),
)
ROOT_GROUP = "(root)"
# S3 omits StorageClass for some listings (and some S3-compatible servers always do);
# an object without one is stored as STANDARD.
DEFAULT_STORAGE_CLASS = "STANDARD"

# Error codes that mean "you may not look here", reported as such rather than as a crash.
_DENIED = {"AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
_MISSING = {"NoSuchBucket"}


class ReportError(Exception):
    """A failure the user can act on; ``main`` prints it as one line and exits 2."""


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_HTTP_DATE = re.compile(r"^\w{3}, (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = (days if days >= 0 else days - 146096) // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


def _as_epoch(value: Any) -> float:
    """POSIX seconds of a boto3 datetime, an ISO 8601 string (the sandbox's) or an HTTP date."""
    if isinstance(value, (int, float)):
        return float(value)
    if hasattr(value, "timestamp"):
        return float(value.timestamp())
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
        seconds = _days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
        seconds += float(match.group(7) or 0)
        zone = match.group(8)
        if zone and zone != "Z":
            sign = -1 if zone[0] == "+" else 1
            digits = zone[1:].replace(":", "")
            seconds += sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        return seconds
    match = _HTTP_DATE.match(text)
    if match and match.group(2) in _MONTHS:
        d, y, h, mi, s = (int(match.group(i)) for i in (1, 3, 4, 5, 6))
        month = _MONTHS.index(match.group(2)) + 1
        return float(_days_from_civil(y, month, d) * 86400 + h * 3600 + mi * 60 + s)
    raise ValueError(f"not an ISO 8601 time: {text!r}")


def _iso(epoch: float) -> str:
    """``2025-01-01T00:00:00+00:00`` for POSIX seconds (whole seconds, UTC)."""
    whole = int(epoch // 1)
    days, rest = divmod(whole, 86400)
    y, mo, d = _civil_from_days(days)
    return f"{y:04d}-{mo:02d}-{d:02d}T{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}+00:00"


def _sample_rank(key: str) -> int:
    # A keyed hash ranks keys uniformly at random yet repeatably: the `sample` smallest ranks
    # are a uniform sample of the whole listing, the same on every run over the same bucket.
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def _server_time(page: Mapping[str, Any]) -> float | None:
    headers = (page.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
    date = headers.get("date")
    try:
        return _as_epoch(date) if date else None
    except ValueError:
        return None


def _group(key: str, prefix: str, depth: int) -> str:
    """The first ``depth`` "/"-separated levels of ``key`` below ``prefix``."""
    rest = key[len(prefix) :] if key.startswith(prefix) else key
    parts = rest.split("/")
    if len(parts) == 1:  # an object directly under the prefix
        return prefix + ROOT_GROUP if prefix else ROOT_GROUP
    return prefix + "/".join(parts[: min(depth, len(parts) - 1)]) + "/"


def _age_label(age_days: float) -> str:
    for limit, label in AGE_BUCKETS:
        if limit is None or age_days <= limit:
            return label
    raise AssertionError("unreachable: the last age bucket is open-ended")


class Aggregator:
    """Fold ``ListObjectsV2`` pages into totals; keeps O(groups + top) memory, not O(objects)."""

    def __init__(
        self,
        *,
        prefix: str = "",
        depth: int = 1,
        top: int = 10,
        sample: int = 0,
        max_keys: int = 0,
        as_of: Any = None,
    ) -> None:
        self.prefix = prefix
        self.depth = depth
        self.top = top
        self.sample_size = sample
        self.max_keys = max_keys
        #: POSIX seconds ages are measured from; None until known (the first response's Date)
        self.as_of = None if as_of is None else _as_epoch(as_of)
        self.objects = 0
        self.bytes = 0
        self.pages = 0
        self.truncated = False
        self.by_prefix: dict[str, list[int]] = {}
        self.by_storage_class: dict[str, list[int]] = {}
        self.by_age: dict[str, list[int]] = {label: [0, 0] for _, label in AGE_BUCKETS}
        self.oldest: float | None = None
        self.newest: float | None = None
        # Min-heap of (size, key, storage class, modified): the smallest of the top N on top.
        self._largest: list[tuple[int, str, str, str]] = []
        # Keys for tag/encryption checks: the smallest hash ranks (a max-heap of negated ranks)
        self._sample: list[tuple[int, str]] = []

    @property
    def full(self) -> bool:
        return bool(self.max_keys) and self.objects >= self.max_keys

    @property
    def sample_keys(self) -> list[str]:
        return [key for _, key in sorted(self._sample, reverse=True)]

    def add_page(self, page: Mapping[str, Any]) -> None:
        self.pages += 1
        if self.as_of is None:
            self.as_of = _server_time(page)
        for obj in page.get("Contents") or ():
            if self.full:
                self.truncated = True
                return
            self.add(obj)

    def add(self, obj: Mapping[str, Any]) -> None:
        key = str(obj["Key"])
        size = int(obj.get("Size") or 0)
        storage = str(obj.get("StorageClass") or DEFAULT_STORAGE_CLASS)
        modified = _as_epoch(obj["LastModified"])
        self.objects += 1
        self.bytes += size
        for table, name in (
            (self.by_prefix, _group(key, self.prefix, self.depth)),
            (self.by_storage_class, storage),
            (self.by_age, _age_label((self._now(modified) - modified) / 86400)),
        ):
            counts = table.setdefault(name, [0, 0])
            counts[0] += 1
            counts[1] += size
        self.oldest = modified if self.oldest is None else min(self.oldest, modified)
        self.newest = modified if self.newest is None else max(self.newest, modified)
        if self.top:
            entry = (size, key, storage, _iso(modified))
            if len(self._largest) < self.top:
                heapq.heappush(self._largest, entry)
            elif entry > self._largest[0]:
                heapq.heapreplace(self._largest, entry)
        if self.sample_size:
            ranked = (-_sample_rank(key), key)
            if len(self._sample) < self.sample_size:
                heapq.heappush(self._sample, ranked)
            elif ranked > self._sample[0]:
                heapq.heapreplace(self._sample, ranked)

    def _now(self, modified: float) -> float:
        # no server Date (some S3-compatible servers): measure from the first object seen
        if self.as_of is None:
            self.as_of = modified
        return self.as_of

    def report(self, bucket: str, sample: Mapping[str, Any] | None = None) -> dict[str, Any]:
        def table(rows: Mapping[str, list[int]]) -> dict[str, dict[str, int]]:
            ordered = sorted(rows.items(), key=lambda kv: (-kv[1][1], kv[0]))
            return {name: {"objects": n, "bytes": b} for name, (n, b) in ordered}

        return {
            "schema_version": SCHEMA_VERSION,
            "bucket": bucket,
            "prefix": self.prefix,
            "depth": self.depth,
            "as_of": _iso(self.as_of) if self.as_of is not None else None,
            "pages": self.pages,
            "truncated": self.truncated,
            "totals": {"objects": self.objects, "bytes": self.bytes},
            "by_prefix": table(self.by_prefix),
            "by_storage_class": table(self.by_storage_class),
            # age buckets keep their natural order, empty ones included
            "by_age": {label: {"objects": n, "bytes": b} for label, (n, b) in self.by_age.items()},
            "oldest": _iso(self.oldest) if self.oldest is not None else None,
            "newest": _iso(self.newest) if self.newest is not None else None,
            "largest": [
                {"key": k, "bytes": s, "storage_class": c, "last_modified": m}
                for s, k, c, m in sorted(self._largest, reverse=True)
            ],
            "sample": dict(sample) if sample is not None else None,
        }


def summarize_sample(
    heads: Iterable[Mapping[str, Any] | None],
    tag_sets: Iterable[Sequence[Mapping[str, Any]] | None],
) -> dict[str, Any]:
    """Count encryption modes and tag keys over HeadObject / GetObjectTagging results.

    ``None`` stands for a call that was denied or failed; those are counted, not fatal, because
    a read-only role often lacks ``s3:GetObjectTagging``.
    """
    encryption: dict[str, int] = {}
    tag_keys: dict[str, int] = {}
    inspected = tagged = errors = 0
    for head in heads:
        if head is None:
            errors += 1
            continue
        inspected += 1
        mode = str(head.get("ServerSideEncryption") or "none")
        encryption[mode] = encryption.get(mode, 0) + 1
    for tags in tag_sets:
        if tags is None:
            errors += 1
            continue
        if tags:
            tagged += 1
        for tag in tags:
            name = str(tag["Key"])
            tag_keys[name] = tag_keys.get(name, 0) + 1
    return {
        "objects": inspected,
        "encryption": dict(sorted(encryption.items())),
        "tagged": tagged,
        "tag_keys": dict(sorted(tag_keys.items(), key=lambda kv: (-kv[1], kv[0]))),
        "errors": errors,
    }


def _bucket_params(bucket: str, owner: str | None) -> dict[str, Any]:
    # ExpectedBucketOwner makes S3 refuse (403) when the bucket now belongs to another account,
    # e.g. after it was deleted and its name re-registered.
    return {"Bucket": bucket, "ExpectedBucketOwner": owner} if owner else {"Bucket": bucket}


def _list_params(
    bucket: str, prefix: str, page_size: int, token: str | None, owner: str | None = None
) -> dict[str, Any]:
    params: dict[str, Any] = {**_bucket_params(bucket, owner), "MaxKeys": page_size}
    if prefix:
        params["Prefix"] = prefix
    if token:
        params["ContinuationToken"] = token
    return params


def _explain(code: str, message: str, bucket: str) -> ReportError:
    if code in _MISSING:
        return ReportError(f"bucket {bucket!r} does not exist (or is in another partition)")
    if code in _DENIED:
        return ReportError(
            f"access denied listing s3://{bucket}: the caller needs s3:ListBucket on "
            f"arn:aws:s3:::{bucket} ({code}: {message})"
        )
    return ReportError(f"listing s3://{bucket} failed: {code}: {message}")


def _explain_any(exc: BaseException, bucket: str) -> ReportError:
    """The same one-line explanation for whatever exception type a caller raised."""
    response = getattr(exc, "response", None)
    error = response.get("Error", {}) if isinstance(response, dict) else {}
    code = str(error.get("Code", ""))
    if not code:  # e.g. the sandbox's wrapped errors: find a known code in the text
        text = str(exc)
        code = next((c for c in sorted(_MISSING | _DENIED) if c in text), type(exc).__name__)
    return _explain(code, str(error.get("Message", "")) or str(exc), bucket)


# --- boto3 driver (local use) -----------------------------------------------------------------


def collect(
    client: Any, bucket: str, agg: Aggregator, page_size: int = 1000, owner: str | None = None
) -> None:
    """Page through ListObjectsV2 with ``client`` (a boto3 S3 client) into ``agg``."""
    from botocore.exceptions import ClientError

    token: str | None = None
    try:
        while not agg.full:
            params = _list_params(bucket, agg.prefix, page_size, token, owner)
            page = client.list_objects_v2(**params)
            agg.add_page(page)
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
        agg.truncated = True
    except ClientError as exc:
        err = exc.response.get("Error", {})
        raise _explain(str(err.get("Code", "")), str(err.get("Message", "")), bucket) from None


def sample_with_boto3(
    client: Any, bucket: str, keys: Sequence[str], owner: str | None = None
) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    heads: list[Mapping[str, Any] | None] = []
    tags: list[Sequence[Mapping[str, Any]] | None] = []
    for key in keys:
        try:
            heads.append(client.head_object(**_bucket_params(bucket, owner), Key=key))
        except ClientError:
            heads.append(None)
        try:
            tagging = client.get_object_tagging(**_bucket_params(bucket, owner), Key=key)
            tags.append(tagging.get("TagSet", []))
        except ClientError:
            tags.append(None)
    return summarize_sample(heads, tags)


# --- call_boto3 driver (AWS MCP Server run_script sandbox) ------------------------------------

CallBoto3 = Callable[..., Awaitable[Mapping[str, Any]]]


async def report_with_call_boto3(
    call_boto3: CallBoto3,
    bucket: str,
    *,
    prefix: str = "",
    depth: int = 1,
    top: int = 10,
    sample: int = 0,
    max_keys: int = 0,
    region: str | None = None,
    expected_bucket_owner: str | None = None,
) -> dict[str, Any]:
    """The same report, fetched through the sandbox's ``call_boto3`` (PascalCase operations)."""

    async def call(operation: str, params: dict[str, Any]) -> Mapping[str, Any]:
        return await call_boto3(
            service_name="s3", operation_name=operation, region_name=region, params=params
        )

    agg = Aggregator(prefix=prefix, depth=depth, top=top, sample=sample, max_keys=max_keys)
    token: str | None = None
    while not agg.full:
        try:
            params = _list_params(bucket, prefix, 1000, token, expected_bucket_owner)
            page = await call("ListObjectsV2", params)
        except Exception as exc:  # one clear line instead of the service's stack
            raise _explain_any(exc, bucket) from None
        agg.add_page(page)
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            break
    else:
        agg.truncated = True
    summary = None
    if sample:
        heads: list[Mapping[str, Any] | None] = []
        tags: list[Sequence[Mapping[str, Any]] | None] = []
        for key in agg.sample_keys:
            try:
                target = {**_bucket_params(bucket, expected_bucket_owner), "Key": key}
                heads.append(await call("HeadObject", target))
            except Exception:  # the sandbox wraps service errors; count them, do not stop
                heads.append(None)
            try:
                tagging = await call("GetObjectTagging", target)
                tags.append(list(tagging.get("TagSet", [])))
            except Exception:
                tags.append(None)
        summary = summarize_sample(heads, tags)
    return agg.report(bucket, summary)


# --- command line -----------------------------------------------------------------------------


def iso_8601(text: str) -> float:
    try:
        return _as_epoch(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aggregate_metadata.py",
        description="Aggregate S3 object metadata (counts and bytes by prefix, storage class "
        "and age; largest objects; optional encryption/tag sample) into one JSON report.",
        epilog="Example: aggregate_metadata.py my-bucket --prefix logs/ --depth 2 --sample 50",
    )
    parser.add_argument("bucket", help="bucket name (not an s3:// URL)")
    parser.add_argument("--prefix", default="", help="only keys under this prefix")
    parser.add_argument("--depth", type=_positive, default=1, help="prefix levels to group by")
    parser.add_argument("--top", type=_positive, default=10, help="how many largest objects")
    parser.add_argument(
        "--max-keys",
        type=_positive,
        default=0,
        help="stop after this many objects (0 = all); the report says truncated=true",
    )
    parser.add_argument(
        "--page-size",
        type=int,
        default=1000,
        choices=range(1, 1001),
        metavar="1..1000",
        help="objects per ListObjectsV2 request (S3 caps it at 1000)",
    )
    parser.add_argument(
        "--sample",
        type=_positive,
        default=0,
        help="HeadObject + GetObjectTagging on this many randomly chosen objects (0 = off)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_8601,
        default=None,
        help="ISO 8601 time that ages are measured from (default: now)",
    )
    parser.add_argument(
        "--expected-bucket-owner",
        default=None,
        metavar="ACCOUNT_ID",
        help="refuse to read the bucket unless this account owns it",
    )
    parser.add_argument("--region", default=None, help="bucket region (default: AWS config)")
    parser.add_argument("--endpoint-url", default=None, help="S3-compatible endpoint URL")
    parser.add_argument("--output", "-o", default="-", help="JSON file to write (default: stdout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.bucket.startswith("s3://"):
        print(
            "error: give the bucket name without s3:// (use --prefix for a path)", file=sys.stderr
        )
        return 2
    try:
        import boto3
        from botocore.exceptions import BotoCoreError
    except ImportError:
        print("error: boto3 is not installed (pip install boto3)", file=sys.stderr)
        return 2
    if args.as_of is None:  # the local driver may read the clock; the sandbox path may not
        import time

        as_of = time.time()
    else:
        as_of = args.as_of
    agg = Aggregator(
        prefix=args.prefix,
        depth=max(args.depth, 1),
        top=args.top,
        sample=args.sample,
        max_keys=args.max_keys,
        as_of=as_of,
    )
    try:
        client = boto3.client("s3", region_name=args.region, endpoint_url=args.endpoint_url)
        owner = args.expected_bucket_owner
        collect(client, args.bucket, agg, page_size=args.page_size, owner=owner)
        sample = (
            sample_with_boto3(client, args.bucket, agg.sample_keys, owner) if args.sample else None
        )
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BotoCoreError as exc:  # no credentials, endpoint unreachable, bad region...
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(agg.report(args.bucket, sample), indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    return 0


# In the run_script sandbox ``call_boto3`` is predefined and there is no command line.
if __name__ == "__main__" and "call_boto3" not in globals():
    sys.exit(main())
