"""The MCP server: tools, resources and prompts over a `Catalog`, on the official ``mcp`` SDK.

Built on the SDK's low-level `Server` so that every list is paginated with an opaque cursor,
tool results carry structured content beside text, and list-changed notifications reach every
connected client when `--watch` swaps in a new catalog.

Tools (all read-only): ``search_skills``, ``retrieve_skill``, ``list_skills``.
Resources: every file as ``skill://NAME/PATH`` (the latest version) and
``skill://vVERSION/NAME/PATH`` (any version); the listing covers the latest version of each
skill. Prompts: each skill's SKILL.md. The MCP Skills extension (`skills_ext`): `skills/list`,
`skills/get` and `resources/directory/read`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread
import jsonschema
import mcp_types as types
from mcp.server.caching import CacheHint
from mcp.server.connection import Connection
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.lowlevel.server import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp.server.subscriptions import (
    InMemorySubscriptionBus,
    ListenHandler,
    PromptsListChanged,
    ResourcesListChanged,
)
from mcp.shared.exceptions import MCPError

from skillkit import __version__
from skillkit.errors import SkillkitError
from skillkit.index import VersionEntry
from skillkit.server import skills_ext
from skillkit.server.catalog import (
    DEFAULT_PAGE_SIZE,
    SKILL_FILE,
    Catalog,
    Log,
    NotFound,
    SkillUnavailable,
)
from skillkit.server.skills_ext import mime_type
from skillkit.server.uris import LATEST_TEMPLATE, VERSION_TEMPLATE, BadUri, skill_uri

#: JSON-RPC code the MCP spec (and the Skills extension) give an unknown resource or skill.
RESOURCE_NOT_FOUND = types.INVALID_PARAMS
MAX_SEARCH_LIMIT = 100
NOTIFY_TIMEOUT = 2.0
#: how long background work stays paused after request activity.
QUIET_SECONDS = 0.005
#: under non-stop traffic, background work still gets a slice this often.
MAX_PAUSE_SECONDS = 0.1

INSTRUCTIONS = """\
A catalog of agent skills. Use search_skills to find a skill for the task (results show each
skill's token cost: l1 = metadata, l2 = the whole SKILL.md), retrieve_skill to load its
SKILL.md and the list of its on-demand files, and read a file's skill:// resource only when
the SKILL.md tells you to. list_skills pages through the whole catalog."""

_READ_ONLY = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

_TOKENS_L12 = {
    "type": "object",
    "properties": {"l1": {"type": "integer"}, "l2": {"type": "integer"}},
    "required": ["l1", "l2"],
}
_SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "description": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "tokens": _TOKENS_L12,
        "uri": {"type": "string"},
    },
    "required": ["name", "version", "description", "tags", "tokens", "uri"],
}

TOOLS: list[types.Tool] = [
    types.Tool(
        name="search_skills",
        title="Search skills",
        description=(
            "Find skills for a task: BM25-ranked over each skill's name, description, tags and "
            "SKILL.md body. Returns name, version, description, tags, score and token costs "
            "(l1: metadata, l2: full SKILL.md) so you can choose cheaply. Skills whose latest "
            "non-yanked version fails verification are left out."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "Words describing the task."},
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_SEARCH_LIMIT,
                    "default": 10,
                    "description": "How many results at most.",
                },
                "tags": {
                    "type": ["array", "null"],
                    "items": {"type": "string"},
                    "description": "Only skills carrying every one of these tags.",
                },
            },
            "required": ["query"],
            "additionalProperties": False,
        },
        output_schema={
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "string"}},
                # Item fields are listed, not typed one by one: clients validate every result
                # against this schema, and a search is called often.
                "results": {
                    "type": "array",
                    "items": {"type": "object", "required": [*_SUMMARY["required"], "score"]},
                },
            },
            "required": ["query", "fields", "results"],
        },
        annotations=_READ_ONLY,
    ),
    types.Tool(
        name="retrieve_skill",
        title="Retrieve a skill",
        description=(
            "Load a skill's SKILL.md (the latest non-yanked version, or the pinned version) and "
            "the list of its on-demand files with their sizes, token costs and skill:// URIs."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "The skill's name."},
                "version": {
                    "type": ["string", "null"],
                    "description": "An exact version (default: the latest non-yanked one).",
                },
            },
            "required": ["name"],
            "additionalProperties": False,
        },
        output_schema={
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "description": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "content": {"type": "string"},
                "tokens": {
                    "type": "object",
                    "properties": {
                        "l1": {"type": "integer"},
                        "l2": {"type": "integer"},
                        "l3": {"type": "integer"},
                    },
                    "required": ["l1", "l2", "l3"],
                },
                "requires": {"type": "array", "items": {"type": "object"}},
                "aws_actions": {
                    "type": ["array", "null"],
                    "items": {"type": "string"},
                    "description": "IAM actions the skill declares (? = only some paths); "
                    "null when it declares none.",
                },
                "aws_runtime": {"type": ["string", "null"]},
                "yanked": {"type": "boolean"},
                "deprecated": {"type": "boolean"},
                "warning": {"type": ["string", "null"]},
                "files": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "path": {"type": "string"},
                            "size": {"type": "integer"},
                            "tokens": {"type": ["integer", "null"]},
                            "uri": {"type": "string"},
                        },
                        "required": ["path", "size", "tokens", "uri"],
                    },
                },
            },
            "required": ["name", "version", "content", "files", "tokens", "yanked", "warning"],
        },
        annotations=_READ_ONLY,
    ),
    types.Tool(
        name="list_skills",
        title="List skills",
        description=(
            "Page through every skill in the catalog (latest non-yanked versions, by name; "
            "versions that fail verification are left out). "
            "Pass the returned next_cursor to get the next page."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "cursor": {
                    "type": ["string", "null"],
                    "description": "next_cursor from the previous page.",
                }
            },
            "additionalProperties": False,
        },
        output_schema={
            "type": "object",
            "properties": {
                "skills": {"type": "array", "items": _SUMMARY},
                "next_cursor": {"type": ["string", "null"]},
                "total": {"type": "integer"},
            },
            "required": ["skills", "next_cursor", "total"],
        },
        annotations=_READ_ONLY,
    ),
]
_VALIDATORS = {tool.name: jsonschema.Draft202012Validator(tool.input_schema) for tool in TOOLS}


class ToolFailure(Exception):
    """A tool call that the client made correctly but that cannot be answered: an error result."""


class BadCursor(ToolFailure):
    """A pagination cursor this server did not hand out."""


class GetSkillParams(types.RequestParams):
    """``skills/get``: the URI of a skill's SKILL.md."""

    uri: str


class ReadDirectoryParams(types.PaginatedRequestParams):
    """``resources/directory/read``: the URI of a directory resource."""

    uri: str


def encode_cursor(position: Any) -> str:
    raw = json.dumps({"after": position}, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise BadCursor("invalid cursor: pass next_cursor exactly as returned") from None


def _list_cursor(params: types.PaginatedRequestParams | None) -> Any:
    try:
        return decode_cursor(params.cursor if params else None)
    except BadCursor as exc:
        raise MCPError(types.INVALID_PARAMS, str(exc)) from None


def summary(entry: VersionEntry, pinned: bool = False) -> dict[str, Any]:
    """A skill as the tools show it; `pinned`: its URI names the exact version."""
    return {
        "name": entry.name,
        "version": entry.version,
        "description": entry.description,
        "tags": list(entry.tags),
        "tokens": {"l1": entry.tokens.l1, "l2": entry.tokens.l2},
        "uri": skill_uri(entry.name, SKILL_FILE, entry.version if pinned else None),
    }


@dataclass(frozen=True)
class _FileRow:
    name: str
    version: str
    path: str
    size: int


class _Server(Server[Any]):
    # The SDK derives capabilities from registered handlers but needs the list-changed flags
    # passed in; the streamable HTTP manager calls this without arguments, so default them.
    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        return super().create_initialization_options(
            notification_options
            or NotificationOptions(prompts_changed=True, resources_changed=True),
            experimental_capabilities,
            extensions,
        )


class SkillServer:
    """The MCP server over a swappable `Catalog`."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        log: Log,
        watch_interval: float | None = None,
    ) -> None:
        self.catalog = catalog
        self.page_size = page_size
        self.log = log
        #: ttlMs / cacheScope of cacheable results: the index changes at most this often.
        self.cache_hints = skills_ext.cache_hints(watch_interval)
        hint = CacheHint(self.cache_hints["ttlMs"], self.cache_hints["cacheScope"])
        self.bus = InMemorySubscriptionBus()
        # Handshake-era connections get list-changed notifications on their standalone
        # channel; weak, so a closed connection simply disappears.
        self.connections: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._files_of: tuple[Catalog, list[_FileRow], list[tuple[str, str]]] | None = None
        self._busy = 0
        self._idle: anyio.Event | None = None
        self._active_at = 0.0
        self.server = _Server(
            "skillkit",
            version=__version__,
            title="skillkit skills catalog",
            instructions=INSTRUCTIONS,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
            on_list_resources=self._list_resources,
            on_list_resource_templates=self._list_templates,
            on_read_resource=self._read_resource,
            on_list_prompts=self._list_prompts,
            on_get_prompt=self._get_prompt,
            on_subscriptions_listen=ListenHandler(self.bus),
            cache_hints={
                method: hint
                for method in ("resources/list", "resources/read", "prompts/list", "tools/list")
            },
        )
        self.server.middleware.append(self._observe)
        self.server.extensions[skills_ext.EXTENSION] = dict(skills_ext.SETTINGS)
        self.server.add_request_handler("skills/list", types.PaginatedRequestParams, self._skills)
        self.server.add_request_handler("skills/get", GetSkillParams, self._get_skill)
        self.server.add_request_handler(
            "resources/directory/read", ReadDirectoryParams, self._read_directory
        )

    def touch(self) -> None:
        """Note activity (a request arriving or finishing): background work pauses briefly."""
        self._active_at = time.perf_counter()

    async def wait_idle(self) -> None:
        """Return once no request is being handled or has just arrived or finished.

        A request takes a dozen event-loop turns from the wire to the reply; background work
        running a slice in each of them would add tens of milliseconds to it.
        """
        started = time.perf_counter()
        while time.perf_counter() - started < MAX_PAUSE_SECONDS:  # never starve it entirely
            if self._busy and self._idle is not None:
                with anyio.move_on_after(MAX_PAUSE_SECONDS):
                    await self._idle.wait()
            elif time.perf_counter() - self._active_at < QUIET_SECONDS:
                await anyio.sleep(QUIET_SECONDS)
            else:
                return

    # -- catalog swaps ---------------------------------------------------------------------------
    async def swap(self, catalog: Catalog) -> None:
        """Serve `catalog` from now on and tell every client its lists changed.

        Requests already running keep the catalog they started with (they hold a reference).
        """
        self.catalog = catalog
        for connection in list(self.connections):
            # Best effort, and bounded: a client that stopped reading must not stall reloads.
            with anyio.move_on_after(NOTIFY_TIMEOUT):
                await connection.send_resource_list_changed()
                await connection.send_prompt_list_changed()
        await self.bus.publish(ResourcesListChanged())
        await self.bus.publish(PromptsListChanged())

    async def _observe(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        started = time.perf_counter()
        # A listen stream lasts as long as the client wants: it does not hold back background
        # work. Everything else marks the server busy while it runs.
        counted = ctx.request_id is not None and ctx.method != "subscriptions/listen"
        if counted:
            self.touch()
            self._busy += 1
            if self._busy == 1:
                self._idle = anyio.Event()
        try:
            result = await call_next(ctx)
            if ctx.method == "initialize":
                result = _with_extensions(result, self.server.extensions)
            return result
        finally:
            if counted:
                self.touch()
                self._busy -= 1
                if self._busy == 0 and self._idle is not None:
                    self._idle.set()
            if ctx.method == "notifications/initialized":
                # The SDK gives handlers no public handle on the connection; the per-request
                # session holds it. Without it, clients still get modern-era notifications.
                connection = getattr(ctx.session, "_connection", None)
                if isinstance(connection, Connection):
                    self.connections.add(connection)
            elif ctx.request_id is not None:
                params = ctx.params or {}
                self.log(
                    "request",
                    "debug",
                    method=ctx.method,
                    tool=params.get("name") if ctx.method == "tools/call" else None,
                    ms=round((time.perf_counter() - started) * 1000, 3),
                )

    # -- tools -----------------------------------------------------------------------------------
    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=TOOLS)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        handlers: dict[str, Callable[[Catalog, dict[str, Any]], Awaitable[dict[str, Any]]]] = {
            "search_skills": self._search_skills,
            "retrieve_skill": self._retrieve_skill,
            "list_skills": self._list_skills,
        }
        handler = handlers.get(params.name)
        if handler is None:
            raise MCPError(
                types.INVALID_PARAMS,
                f"unknown tool {params.name!r} (tools: {', '.join(handlers)})",
            )
        arguments = dict(params.arguments or {})
        error = next(iter(_VALIDATORS[params.name].iter_errors(arguments)), None)
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path) or "arguments"
            return _error_result(f"invalid arguments for {params.name}: {where}: {error.message}")
        catalog = self.catalog  # one catalog for the whole call, even if a swap happens meanwhile
        try:
            data = await handler(catalog, arguments)
        except (NotFound, SkillUnavailable, ToolFailure) as exc:
            return _error_result(str(exc))
        if params.name == "retrieve_skill":
            text = _skill_text(data)
        else:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structured_content=data
        )

    async def _search_skills(self, catalog: Catalog, args: dict[str, Any]) -> dict[str, Any]:
        query = str(args["query"])
        limit = int(args.get("limit") or 10)
        tags = args.get("tags") or None
        if not query.strip() and not tags:
            raise ToolFailure("search_skills needs a query (or tags); to browse, use list_skills")
        if not catalog.bodies_indexed:
            # Results must not depend on whether the background pass has finished: finish it
            # first, in a worker thread so that other requests are answered meanwhile.
            await anyio.to_thread.run_sync(catalog.ensure_bodies)
        if catalog.local:
            found = catalog.search(query, limit, tags)
        else:
            # Hits not yet verified are verified now: over the network, off the event loop.
            found = await anyio.to_thread.run_sync(catalog.search, query, limit, tags)
        results = []
        for entry, score in found:
            results.append({**summary(entry), "score": round(score, 4)})
        return {
            "query": query,
            "fields": ["name", "description", "tags", "body"],
            "results": results,
        }

    async def _retrieve_skill(self, catalog: Catalog, args: dict[str, Any]) -> dict[str, Any]:
        pinned = args.get("version") is not None
        entry = catalog.resolve(str(args["name"]), args.get("version"))
        files = await anyio.to_thread.run_sync(catalog.files, entry)
        content = files[SKILL_FILE].decode("utf-8", errors="replace")
        warnings = []
        if entry.yanked:
            reason = f": {entry.yanked_reason}" if entry.yanked_reason else ""
            warnings.append(f"{entry.ref} is yanked{reason}")
        if entry.deprecated:
            reason = f": {entry.deprecated_reason}" if entry.deprecated_reason else ""
            warnings.append(f"{entry.ref} is deprecated{reason}")
        latest = catalog.latest.get(entry.name)
        if warnings and latest is not None and latest.version != entry.version:
            warnings.append(f"the latest version is {latest.version}")
        return {
            **summary(entry, pinned),
            "tokens": {"l1": entry.tokens.l1, "l2": entry.tokens.l2, "l3": entry.tokens.l3},
            "content": content,
            "requires": [r.to_json() for r in entry.requires],
            "aws_actions": list(entry.aws.actions) if entry.aws else None,
            "aws_runtime": entry.aws.runtime if entry.aws else None,
            "yanked": entry.yanked,
            "deprecated": entry.deprecated,
            "warning": "; ".join(warnings) or None,
            "files": [
                {
                    "path": f.path,
                    "size": f.size,
                    "tokens": f.tokens,
                    "uri": skill_uri(entry.name, f.path, entry.version if pinned else None),
                }
                for f in catalog.on_demand_files(entry)
            ],
        }

    async def _served_page(
        self, catalog: Catalog, after: Any
    ) -> tuple[list[VersionEntry], str | None]:
        """The page of served skills after the name `after`, and the next page's cursor."""
        names = catalog.names
        position = bisect.bisect_right(names, after) if isinstance(after, str) else 0
        page: list[VersionEntry] = []
        # Unavailable skills are left out, as in search: fill the page from further on.
        while position < len(names) and len(page) < self.page_size:
            chunk = names[position : position + self.page_size - len(page)]
            page.extend(await anyio.to_thread.run_sync(catalog.served, chunk))
            position += len(chunk)
        more = position < len(names)
        return page, encode_cursor(names[position - 1]) if more else None

    async def _list_skills(self, catalog: Catalog, args: dict[str, Any]) -> dict[str, Any]:
        page, cursor = await self._served_page(catalog, decode_cursor(args.get("cursor")))
        return {
            "skills": [summary(entry) for entry in page],
            "next_cursor": cursor,
            "total": catalog.served_count,
        }

    # -- resources -------------------------------------------------------------------------------
    def _file_rows(self, catalog: Catalog) -> tuple[list[_FileRow], list[tuple[str, str]]]:
        cached = self._files_of
        if cached is not None and cached[0] is catalog:
            return cached[1], cached[2]
        rows = [
            _FileRow(entry.name, entry.version, f.path, f.size)
            for name in catalog.names
            for entry in (catalog.latest[name],)
            for f in sorted(entry.files, key=lambda f: f.path)
        ]
        keys = [(r.name, r.path) for r in rows]
        self._files_of = (catalog, rows, keys)
        return rows, keys

    async def _list_resources(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        catalog = self.catalog  # one catalog for the whole page, even if a swap happens
        rows, keys = self._file_rows(catalog)
        after = _list_cursor(params)
        start = 0
        if isinstance(after, list) and len(after) == 2:
            start = bisect.bisect_right(keys, (str(after[0]), str(after[1])))
        page = rows[start : start + self.page_size]
        more = start + self.page_size < len(rows)
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    uri=skill_uri(r.name, r.path),
                    # The extension: a SKILL.md resource is named and described as its skill.
                    name=r.name if r.path == SKILL_FILE else f"{r.name}/{r.path}",
                    title=f"{r.name} {r.version}: {r.path}",
                    description=(
                        catalog.latest[r.name].description if r.path == SKILL_FILE else None
                    ),
                    mime_type=mime_type(r.path),
                    size=r.size,
                )
                for r in page
            ],
            next_cursor=encode_cursor([page[-1].name, page[-1].path]) if more and page else None,
        )

    async def _list_templates(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    uri_template=LATEST_TEMPLATE,
                    name="skill-file",
                    title="A file of a skill",
                    description=(
                        "Any file of the latest version of a skill, e.g. skill://NAME/SKILL.md "
                        "or skill://NAME/references/x.md. Content is served only after its "
                        "sha256 is verified."
                    ),
                ),
                types.ResourceTemplate(
                    uri_template=VERSION_TEMPLATE,
                    name="skill-version-file",
                    title="A file of an exact version of a skill",
                    description=(
                        "Any file of any published version, yanked ones included, e.g. "
                        "skill://v1.2.0/NAME/SKILL.md."
                    ),
                ),
            ]
        )

    async def _read_resource(
        self, ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        catalog = self.catalog
        try:
            parsed, entry = skills_ext.resolve(catalog, uri)
            if not parsed.path:
                raise NotFound(
                    f"{uri} is a skill's folder: read its SKILL.md, or list it with "
                    "resources/directory/read"
                )
            data = await anyio.to_thread.run_sync(catalog.file, entry, parsed.path)
        except (NotFound, BadUri) as exc:
            raise MCPError(RESOURCE_NOT_FOUND, str(exc), data={"uri": uri}) from None
        except SkillUnavailable as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc), data={"uri": uri}) from None
        mime = mime_type(parsed.path)
        contents: list[types.TextResourceContents | types.BlobResourceContents]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            blob = base64.b64encode(data).decode("ascii")
            contents = [types.BlobResourceContents(uri=uri, mime_type=mime, blob=blob)]
        else:
            contents = [types.TextResourceContents(uri=uri, mime_type=mime, text=text)]
        return types.ReadResourceResult(contents=contents)

    # -- the Skills extension --------------------------------------------------------------------
    async def _skills(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> dict[str, Any]:
        catalog = self.catalog
        page, cursor = await self._served_page(catalog, _list_cursor(params))
        result: dict[str, Any] = {
            "resultType": "complete",
            "skills": [
                skills_ext.skill_entry(catalog, entry)
                for entry in page
                if skills_ext.too_big(entry) is None
            ],
            **self.cache_hints,
        }
        if cursor is not None:
            result["nextCursor"] = cursor
        return result

    async def _get_skill(
        self, ctx: ServerRequestContext[Any], params: GetSkillParams
    ) -> dict[str, Any]:
        catalog = self.catalog
        try:
            skill = await anyio.to_thread.run_sync(skills_ext.get_skill, catalog, params.uri)
        except NotFound as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc), data={"uri": params.uri}) from None
        except SkillUnavailable as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc), data={"uri": params.uri}) from None
        return {"resultType": "complete", "skill": skill, **self.cache_hints}

    async def _read_directory(
        self, ctx: ServerRequestContext[Any], params: ReadDirectoryParams
    ) -> dict[str, Any]:
        try:
            children = skills_ext.read_directory(self.catalog, params.uri)
        except NotFound as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc), data={"uri": params.uri}) from None
        after = _list_cursor(params)
        uris = [c["uri"] for c in children]
        start = bisect.bisect_right(uris, after) if isinstance(after, str) else 0
        page = children[start : start + self.page_size]
        result: dict[str, Any] = {"resultType": "complete", "resources": page}
        if start + self.page_size < len(children):
            result["nextCursor"] = encode_cursor(page[-1]["uri"])
        return result

    # -- prompts ---------------------------------------------------------------------------------
    async def _list_prompts(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        catalog = self.catalog
        after = _list_cursor(params)
        names = catalog.names
        start = bisect.bisect_right(names, after) if isinstance(after, str) else 0
        page = names[start : start + self.page_size]
        more = start + self.page_size < len(names)
        return types.ListPromptsResult(
            prompts=[
                types.Prompt(
                    name=name,
                    title=f"Use the {name} skill",
                    description=catalog.latest[name].description,
                )
                for name in page
            ],
            next_cursor=encode_cursor(page[-1]) if more and page else None,
        )

    async def _get_prompt(
        self, ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        catalog = self.catalog
        try:
            entry = catalog.resolve(params.name)
            files = await anyio.to_thread.run_sync(catalog.files, entry)
        except NotFound as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc)) from None
        except SkillUnavailable as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc)) from None
        text = files[SKILL_FILE].decode("utf-8", errors="replace")
        return types.GetPromptResult(
            description=f"{entry.ref}: {entry.description}",
            messages=[
                types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))
            ],
        )


def _with_extensions(result: HandlerResult, extensions: dict[str, Any]) -> HandlerResult:
    """The initialize result with ``capabilities.extensions``.

    The SDK serialises a legacy-era (2025) handshake to that revision's schema, which has no
    ``extensions``; clients of the Skills extension negotiate that way today and look for it
    there (a client that does not know the field ignores it). Modern-era ``server/discover``
    carries it already.
    """
    if not isinstance(result, dict) or not isinstance(result.get("capabilities"), dict):
        return result
    capabilities = result["capabilities"]
    if "extensions" in capabilities:
        return result
    return {**result, "capabilities": {**capabilities, "extensions": extensions}}


def _skill_text(data: dict[str, Any]) -> str:
    """What a model reads for retrieve_skill: the SKILL.md itself, not JSON-escaped (that would
    cost more tokens than its L2 footprint), then its on-demand files and any warning."""
    parts = []
    if data["warning"]:
        parts.append(f"WARNING: {data['warning']}\n\n")
    parts.append(data["content"])
    if data["files"]:
        listing = "\n".join(
            f"- {f['path']} ({f['size']} bytes, {f['tokens'] if f['tokens'] is not None else '?'}"
            f" tokens): {f['uri']}"
            for f in data["files"]
        )
        parts.append(
            f"\n\n---\nOn-demand files of {data['name']} {data['version']} "
            f"(read a resource only when the skill says to):\n{listing}\n"
        )
    return "".join(parts)


def _error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


__all__ = ["SkillServer", "SkillkitError", "summary"]
