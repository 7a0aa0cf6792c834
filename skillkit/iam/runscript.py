"""Run a skill script locally the way ``run_script`` runs it: compiled with top-level await,
``call_boto3``/``make_request`` predefined over boto3, blocked modules refused by an import
hook, and the last expression as the result."""

from __future__ import annotations

import ast
import asyncio
import builtins
import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.errors import SkillkitError
from skillkit.extras import install_hint
from skillkit.iam.sandbox import blocked_reason

_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "Forbidden",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
}
RESULT = "__skillkit_result__"


class ScriptFailed(SkillkitError):
    """The script raised: the message names the exception; `calls` are those it made."""

    def __init__(self, message: str, calls: list[Call] | None = None) -> None:
        super().__init__(message)
        self.calls = calls or []


@dataclass
class Call:
    service: str
    operation: str
    error: str | None = None


@dataclass
class RunResult:
    value: Any
    calls: list[Call] = field(default_factory=list)

    @property
    def denied(self) -> list[Call]:
        return [c for c in self.calls if c.error in _DENIED]


@dataclass(frozen=True)
class RunOptions:
    script: Path
    endpoint_url: str | None = None
    region: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: code sent after the script, as a skill tells the agent to (``await main(...)``)
    driver: str | None = None


def _jsonable(value: Any) -> Any:
    # the sandbox hands results back as JSON: dates as ISO 8601 strings, bodies as text
    def default(obj: Any) -> Any:
        if hasattr(obj, "isoformat"):
            return obj.isoformat()
        if hasattr(obj, "read"):
            data = obj.read()
            return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        if isinstance(obj, bytes):
            return obj.decode("utf-8", "replace")
        return str(obj)

    return json.loads(json.dumps(value, default=default))


def _guarded_import(real: Callable[..., Any]) -> Callable[..., Any]:
    def hook(
        name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        if level == 0:
            reason = blocked_reason(name)
            if reason is not None:
                raise ImportError(reason, name=name)
        return real(name, globals, locals, fromlist, level)

    return hook


def _compile(source: str, filename: str) -> Any:
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        raise ScriptFailed(f"{filename}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        tree.body[-1] = ast.copy_location(
            ast.Assign(targets=[ast.Name(RESULT, ast.Store())], value=last.value), last
        )
        ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def run_script(opts: RunOptions) -> RunResult:
    """Run the script; `ScriptFailed` when it raises (denied calls are in the message)."""
    try:
        source = opts.script.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SkillkitError(f"{opts.script}: not UTF-8 ({exc.reason})") from None
    if opts.driver:
        source = source.rstrip("\n") + "\n" + opts.driver + "\n"
    code = _compile(source, str(opts.script))
    try:
        import boto3
        from botocore import xform_name
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise SkillkitError("run-script needs boto3: " + install_hint("iam")) from None
    session = boto3.session.Session(region_name=opts.region)
    result = RunResult(None)
    clients: dict[tuple[str, str | None], Any] = {}

    def client(service: str, region: str | None) -> Any:
        key = (service, region)
        if key not in clients:
            clients[key] = session.client(
                service, region_name=region or opts.region, endpoint_url=opts.endpoint_url
            )
        return clients[key]

    def call(
        service_name: str,
        operation_name: str,
        region_name: str | None,
        params: Mapping[str, Any] | None,
    ) -> Any:
        record = Call(service_name, operation_name)
        result.calls.append(record)
        try:
            api = client(service_name, region_name)
            method = getattr(api, xform_name(operation_name), None)
            if method is None or operation_name not in api.meta.service_model.operation_names:
                raise ValueError(f"{service_name} has no operation {operation_name!r}")
            response = method(**dict(params or {}))
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "ClientError"))
            # a refused HEAD has no body to name the error: S3 answers a bare 403
            record.error = "AccessDenied" if code == "403" else code
            raise
        except BotoCoreError as exc:
            record.error = type(exc).__name__
            raise
        return _jsonable(response)

    async def call_boto3(
        *,
        service_name: str,
        operation_name: str,
        region_name: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        return call(service_name, operation_name, region_name, params)

    def make_request(
        *,
        method: str,
        url: str,
        service_name: str,
        region_name: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
    ) -> dict[str, Any]:
        import urllib.request

        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
        credentials = session.get_credentials()
        region = region_name or opts.region or session.region_name or "us-east-1"
        SigV4Auth(credentials, service_name, region).add_auth(request)
        prepared = urllib.request.Request(
            url,
            data=body.encode() if body else None,
            headers=dict(request.headers.items()),
            method=method,
        )
        try:
            with urllib.request.urlopen(prepared, timeout=60) as answer:
                return {
                    "status_code": answer.status,
                    "headers": dict(answer.headers),
                    "body": answer.read().decode("utf-8", "replace"),
                }
        except urllib.error.HTTPError as exc:
            return {
                "status_code": exc.code,
                "headers": dict(exc.headers),
                "body": exc.read().decode("utf-8", "replace"),
            }

    scope_builtins = dict(vars(builtins))
    scope_builtins["__import__"] = _guarded_import(builtins.__import__)
    scope: dict[str, Any] = {
        "__name__": "__sandbox__",
        "__builtins__": scope_builtins,
        "call_boto3": call_boto3,
        "make_request": make_request,
        **opts.values,
    }
    try:
        outcome = eval(code, scope)  # the script is the user's own, run as they asked
        if inspect.iscoroutine(outcome):
            asyncio.run(outcome)
    except SystemExit as exc:
        raise ScriptFailed(f"the script called exit({exc.code})", result.calls) from None
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        raise ScriptFailed(f"the script raised {text}", result.calls) from None
    result.value = scope.get(RESULT)
    if inspect.iscoroutine(result.value):
        result.value.close()
        raise ScriptFailed("the last expression is a coroutine: put 'await' before it")
    return result
