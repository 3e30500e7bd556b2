"""A small in-process Discord API emulator (REST + gateway) for end-to-end tests.

Why: the bot's real discord.py code (login, command sync, interaction responses, rate-limit
handling, sharding) runs unchanged against 127.0.0.1, with no network and no token.

Contract for a bot under test: set ``discord.http.Route.BASE = emu.api_base`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(<url from GET {api_base}/gateway>)``
before ``bot.start(token)``.  Gateway frames are plain JSON text: discord.py asks for
``compress=zlib-stream`` but only decompresses *binary* frames.
"""
from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, UTC
from fnmatch import fnmatch
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

log = logging.getLogger("discord_emulator")

API = "/api/v10"
DISCORD_EPOCH = 1420070400000
NONCE_WINDOW = 300.0  # seconds an enforced nonce is remembered ("a few minutes" on Discord)
VIEW_CHANNEL, MANAGE_GUILD = 1 << 10, 1 << 5
# @everyone: view, send, embed links, attach files, read history, add reactions, use application commands
EVERYONE_PERMS = VIEW_CHANNEL | 1 << 11 | 1 << 14 | 1 << 15 | 1 << 16 | 1 << 6 | 1 << 31
# "Admins" role: + manage server, channels, messages, roles
ADMIN_PERMS = EVERYONE_PERMS | MANAGE_GUILD | 1 << 4 | 1 << 13 | 1 << 28
EPHEMERAL, LOADING = 64, 128  # message flags
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4  # interaction types
JSONDict = dict[str, Any]


def _json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py parses nothing else)."""
    return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json",
                        headers=headers)


def _error(status: int, message: str, code: int) -> web.Response:
    return _json({"message": message, "code": code}, status)


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    admin: bool = False  # holds the "Admins" role (Manage Server and more)
    bot: bool = False

    @property
    def permissions(self) -> int:
        return ADMIN_PERMS if self.admin else EVERYONE_PERMS

    def to_dict(self) -> JSONDict:
        return {"id": str(self.id), "username": self.name, "discriminator": "0", "global_name": self.name,
                "avatar": None, "bot": self.bot, "public_flags": 0, "flags": 0}


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    type: int = 0  # GUILD_TEXT
    position: int = 0
    state: str = "ok"  # "ok" | "deleted" (REST 404 Unknown Channel) | "forbidden" (REST 403 Missing Access)


@dataclass
class _Session:
    """One gateway session; survives a RESUME on a new socket."""
    ws: web.WebSocketResponse
    session_id: str = ""
    shard: tuple[int, int] = (0, 1)
    guild_ids: list[int] = field(default_factory=list)  # guilds sent in GUILD_CREATE
    seq: int = 0
    beats: int = 0  # heartbeats received
    ready_after: int | None = None  # becomes ready when beats exceeds this (barrier after GUILD_CREATE)
    ready: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        async with self.lock:
            self.seq += op == 0
            await self.ws.send_str(json.dumps({"op": op, "d": d, "s": self.seq if op == 0 else None, "t": t}))


@dataclass
class _RateLimit:
    method: str
    path: str
    remaining: int
    retry_after: float
    is_global: bool


ACK_DEADLINE = 3.0  # seconds Discord gives a bot for its first answer to an interaction

class InteractionReply:
    """The bot's answer to one interaction, updated in place by later edits and followups."""

    def __init__(self, emu: DiscordEmulator, payload: JSONDict) -> None:
        self.emu, self.payload = emu, payload  # payload: the INTERACTION_CREATE data dispatched
        self.type: int | None = None  # 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal
        self.data: JSONDict = {}  # callback data as the bot sent it
        self.message: JSONDict | None = None  # the @original message, edits applied
        self.followups: list[JSONDict] = []
        self.history: list[tuple[str, JSONDict]] = []  # ("callback" | "edit" | "followup" | "delete", body)
        self.created = time.monotonic()  # Discord refuses a first answer that comes after ACK_DEADLINE

    id = property(lambda self: int(self.payload["id"]))
    token = property(lambda self: self.payload["token"])
    _view = property(lambda self: self.message if self.message is not None else self.data)
    content = property(lambda self: self._view.get("content") or "")
    embeds = property(lambda self: self._view.get("embeds") or [])
    components = property(lambda self: self._view.get("components") or [])
    allowed_mentions = property(lambda self: self._view.get("allowed_mentions"))
    flags = property(lambda self: int(self._view.get("flags") or 0))
    ephemeral = property(lambda self: bool(self.flags & EPHEMERAL))
    loading = property(lambda self: self.type == 5 and bool(self.flags & LOADING))
    choices = property(lambda self: self.data.get("choices", []) if self.type == 8 else [])
    custom_ids = property(lambda self: [c["custom_id"] for c in _walk(self.components) if "custom_id" in c])

    async def wait_for(self, predicate: Callable[[InteractionReply], bool], timeout: float = 3.0) -> InteractionReply:
        """Wait for a later edit or followup."""
        await self.emu.wait_until(lambda: predicate(self), timeout, f"interaction {self.id} to satisfy a predicate")
        return self

    async def click(self, custom_id: str, *, user: str | int | None = None, values: list[str] | None = None,
                    **kw: Any) -> InteractionReply:
        """Press a button (or choose select ``values``) on this reply's message."""
        assert self.message is not None, "no message to click on"
        uid = user if user is not None else int(self.payload["member"]["user"]["id"])
        return await self.emu.send_interaction(kind=MESSAGE_COMPONENT, custom_id=custom_id, message=self.message,
                                               user=uid, values=values, **kw)


class DiscordEmulator:
    """``async with DiscordEmulator() as emu:`` serves REST + gateway on 127.0.0.1:<random port>."""

    def __init__(self, *, guild_id: int = 111, channel_id: int = 222, app_id: int = 999, shard_count: int = 1,
                 heartbeat_interval_ms: int = 41250) -> None:
        self.guild_id, self.channel_id, self.app_id = guild_id, channel_id, app_id
        self.shard_count, self.heartbeat_interval_ms = shard_count, heartbeat_interval_ms
        self.bot_user = User(app_id, "kuril-bot", bot=True)
        self.admin, self.member = User(501, "admin", admin=True), User(502, "member")
        self.users: dict[int, User] = {u.id: u for u in (self.bot_user, self.admin, self.member)}
        self.guilds: dict[int, str] = {}  # id -> name
        self.channels: dict[int, Channel] = {}
        self.commands: dict[int | None, list[JSONDict]] = {}  # guild id (None = global) -> synced commands
        self.requests: list[tuple[str, str]] = []  # (method, path below api base) of every REST call
        self.unknown_routes: list[str] = []
        self.rate_limited: list[tuple[str, str]] = []  # requests answered with an injected 429
        self.sessions: list[_Session] = []
        self.identifies = self.resumes = 0
        self.replies: dict[int, InteractionReply] = {}  # interaction id -> reply
        self.late: list[InteractionReply] = []  # interactions first answered after the deadline
        self._messages: dict[int, JSONDict] = {}
        self._cdn: dict[int, bytes] = {}  # attachment id -> bytes
        self._attachments: dict[int, JSONDict] = {}  # attachment id -> attachment object
        self._channel_log: dict[int, list[JSONDict]] = {}
        self._nonces: dict[tuple[int, str], tuple[float, JSONDict]] = {}
        self._rate_limits: list[_RateLimit] = []
        self._changed = asyncio.Event()
        self._counter = 0
        self._runner: web.AppRunner | None = None
        self.api_base = self.gateway_url = self.cdn_base = ""
        self.add_guild(guild_id, "Kuril Test Guild", channel_id=channel_id)

    async def __aenter__(self) -> DiscordEmulator:
        app = web.Application(middlewares=[self._middleware])
        add = app.router.add_route
        add("GET", "/gateway", self._gateway)
        add("GET", API + "/users/@me", self._me)
        add("GET", API + "/gateway", self._gateway_url)
        add("GET", API + "/gateway/bot", self._gateway_bot)
        add("GET", API + "/oauth2/applications/@me", self._app_info)
        for path in ("/applications/{app}/commands", "/applications/{app}/guilds/{gid}/commands"):
            add("*", API + path, self._app_commands)
        add("POST", API + "/interactions/{iid}/{token}/callback", self._callback)
        add("POST", API + "/webhooks/{app}/{token}", self._followup)
        add("*", API + "/webhooks/{app}/{token}/messages/{mid}", self._webhook_message)
        add("GET", API + "/channels/{cid}", self._get_channel)
        add("*", API + "/channels/{cid}/messages", self._channel_messages)
        add("GET", API + "/guilds/{gid}", self._get_guild)
        add("GET", API + "/guilds/{gid}/channels", self._get_guild)
        add("GET", API + "/guilds/{gid}/members/{uid}", self._get_guild)
        add("GET", "/attachments/{aid}/{filename}", self._cdn_file)
        add("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # loopback only, free port chosen by the OS
        await web.SockSite(self._runner, sock).start()
        port = sock.getsockname()[1]
        self.api_base, self.gateway_url = f"http://127.0.0.1:{port}{API}", f"ws://127.0.0.1:{port}/gateway"
        self.cdn_base = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for s in self.sessions:
            await s.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- the world -----------------------------------------------------------------------
    def add_guild(self, guild_id: int, name: str = "Guild", *, channel_id: int | None = None) -> None:
        """A guild the bot is in, with one text channel "general" if ``channel_id`` is given."""
        self.guilds[guild_id] = name
        if channel_id is not None:
            self.add_channel(channel_id, guild_id=guild_id, name="general")

    def add_channel(self, channel_id: int, *, guild_id: int | None = None, name: str | None = None,
                    type: int = 0) -> Channel:
        gid = guild_id or self.guild_id
        pos = sum(c.guild_id == gid for c in self.channels.values())
        self.channels[channel_id] = ch = Channel(channel_id, gid, name or f"channel-{channel_id}", type, pos)
        return ch

    def add_user(self, user_id: int, name: str, *, admin: bool = False) -> User:
        self.users[user_id] = u = User(user_id, name, admin=admin)
        return u

    async def delete_channel(self, channel_id: int, *, notify: bool = True) -> None:
        """REST answers 404 Unknown Channel from now on; CHANNEL_DELETE is dispatched if ``notify``."""
        ch = self.channels[channel_id]
        ch.state = "deleted"
        if notify:
            await self.dispatch("CHANNEL_DELETE", self._channel_dict(ch), guild_id=ch.guild_id)

    def forbid_channel(self, channel_id: int) -> None:
        """REST answers 403 Missing Access (bot lost View Channel; its cache is not told)."""
        self.channels[channel_id].state = "forbidden"

    def say(self, channel_id: int, content: str, user: str = "member") -> JSONDict:
        """A message from a user (not the bot) in a channel, as busy channels have."""
        msg = self._new_message(channel_id, {"content": content}, [], None)
        msg["author"] = getattr(self, user).to_dict()
        return msg

    def upload(self, filename: str, data: bytes) -> JSONDict:
        """A file a user attaches to a slash command option: pass the returned attachment as the
        option's value; the interaction carries it in ``data.resolved.attachments`` and the bot
        downloads the bytes from the emulator's CDN route, as from Discord's."""
        return self._store_file(filename, data)

    def file_bytes(self, attachment: JSONDict) -> bytes:
        """The bytes behind an attachment (uploaded by a user or sent by the bot)."""
        return self._cdn[int(attachment["id"])]

    def rate_limit(self, path: str, *, method: str = "*", times: int = 1, retry_after: float = 0.05,
                   is_global: bool = False) -> None:
        """Answer the next ``times`` requests matching ``path`` (below api base; fnmatch) with 429 + Via."""
        self._rate_limits.append(_RateLimit(method.upper(), path, times, retry_after, is_global))

    def channel_messages(self, channel_id: int | None = None, *, interactions: bool = False) -> list[JSONDict]:
        """Messages posted in a channel, oldest first; non-ephemeral interaction replies only if asked."""
        msgs = self._channel_log.get(channel_id or self.channel_id, [])
        return [m for m in msgs if interactions or "interaction_metadata" not in m]

    def command(self, name: str, guild_id: int | None = None) -> JSONDict | None:
        """A synced command by name: the guild's copy first, then the global one."""
        for key in ([guild_id] if guild_id else []) + [None]:
            found = next((c for c in self.commands.get(key, []) if c["name"] == name), None)
            if found:
                return found
        return None

    # ---- gateway ---------------------------------------------------------------------------
    async def wait_ready(self, shards: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``shards`` sessions have IDENTIFYed and *handled* their GUILD_CREATEs."""
        ready = lambda: sum(s.ready for s in self._live_sessions(None)) >= shards  # noqa: E731
        await self.wait_until(ready, timeout, f"{shards} ready shard(s)")

    async def dispatch(self, event: str, data: JSONDict, *, guild_id: int | None = None) -> None:
        """Send a DISPATCH to the session owning ``guild_id`` (all sessions if None)."""
        for s in self._live_sessions(guild_id):
            await s.send(0, data, event)

    async def flush(self, timeout: float = 3.0) -> None:
        """Barrier: return once every session has handled all frames sent so far.

        Sends op 1 (heartbeat request), which discord.py answers, in order, with a heartbeat."""
        for s in self._live_sessions(None):
            before = s.beats
            await s.send(1, None)
            await self.wait_until(lambda s=s, b=before: s.beats > b or s.ws.closed, timeout, "a heartbeat")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py reconnects to resume_gateway_url and RESUMEs."""
        for s in self._live_sessions(None):
            await s.send(7, None)

    def _live_sessions(self, guild_id: int | None) -> list[_Session]:
        live = [s for s in self.sessions if not s.ws.closed]
        return [s for s in live if guild_id is None or (guild_id >> 22) % s.shard[1] == s.shard[0]]

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        sess = _Session(ws)
        await sess.send(10, {"heartbeat_interval": self.heartbeat_interval_ms})
        async for msg in ws:
            frame = json.loads(msg.data) if msg.type == WSMsgType.TEXT else {}
            op, d = frame.get("op"), frame.get("d")
            if op == 1:
                sess.beats += 1
                if sess.ready_after is not None and sess.beats > sess.ready_after:
                    sess.ready, sess.ready_after = True, None
                await sess.send(11, None)
            elif op == 2:
                await self._identify(sess, d)
            elif op == 6:
                old = next((s for s in self.sessions if s.session_id == d.get("session_id")), None)
                if old is None:
                    await sess.send(9, False)  # invalid session, not resumable
                    continue
                old.ws, sess = ws, old
                self.resumes += 1
                await sess.send(0, {}, "RESUMED")
            self._notify()
        return ws

    async def _identify(self, sess: _Session, d: JSONDict) -> None:
        self.identifies += 1
        shard_id, count = d.get("shard") or [0, 1]
        sess.shard, sess.session_id = (shard_id, count), uuid.uuid4().hex
        self.sessions.append(sess)
        sess.guild_ids = mine = [gid for gid in self.guilds if (gid >> 22) % count == shard_id]
        await sess.send(0, {
            "v": 10, "user": {**self.bot_user.to_dict(), "verified": True}, "session_id": sess.session_id,
            "guilds": [{"id": str(g), "unavailable": True} for g in mine], "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0}, "shard": [shard_id, count],
            "private_channels": [], "relationships": [], "presences": [], "geo_ordered_rtc_regions": [],
        }, "READY")
        for gid in mine:
            await sess.send(0, self._guild_dict(gid, full=True), "GUILD_CREATE")
        sess.ready_after = sess.beats
        await sess.send(1, None)  # barrier: the answering heartbeat proves the GUILD_CREATEs were handled

    # ---- interactions --------------------------------------------------------------------------
    async def send_interaction(
        self, name: str = "", options: Mapping[str, Any] | None = None, *, subcommand: str | None = None,
        user: str | int = "admin", guild_id: int | None = None, channel_id: int | None = None,
        kind: int = APPLICATION_COMMAND, focused: str | None = None, custom_id: str | None = None,
        message: JSONDict | None = None, values: list[str] | None = None, wait: bool = True, timeout: float = 3.0,
    ) -> InteractionReply:
        """Dispatch INTERACTION_CREATE; if ``wait``, return once the bot has answered.

        ``user``: "admin", "member" or a user id.  ``subcommand``: "sub" or "group sub".  Option
        types come from the synced command when known.  ``focused`` (autocomplete) defaults to
        the last option.  A deferred reply (type 5) is awaited until its edit or first followup."""
        u = self.users[user] if isinstance(user, int) else getattr(self, user)
        if message is not None:
            channel_id = int(message["channel_id"])
        known = self.channels.get(channel_id or 0)
        gid = guild_id or (known.guild_id if known else self.guild_id)
        cid = channel_id or next((c.id for c in self.channels.values() if c.guild_id == gid), self.channel_id)
        ch = self.channels.get(cid) or Channel(cid, gid, f"channel-{cid}")
        iid = self._snowflake()
        payload: JSONDict = {
            "id": str(iid), "application_id": str(self.app_id), "type": kind, "token": f"itok{iid}", "version": 1,
            "guild_id": str(gid), "channel_id": str(cid), "locale": "en-US", "guild_locale": "en-US",
            "guild": {"id": str(gid), "locale": "en-US", "features": []}, "entitlements": [], "context": 0,
            "channel": {**self._channel_dict(ch), "permissions": str(u.permissions)},
            "member": {**self._member_dict(u, gid), "permissions": str(u.permissions)},
            "app_permissions": str(EVERYONE_PERMS), "authorizing_integration_owners": {"0": str(gid)},
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if kind == MESSAGE_COMPONENT:
            assert message is not None and custom_id is not None, "a component interaction needs message + custom_id"
            ctype = next((c["type"] for c in _walk(message.get("components", []))
                          if c.get("custom_id") == custom_id), 2)
            payload["message"] = message
            payload["data"] = {"custom_id": custom_id, "component_type": ctype,
                               **({"values": values} if values else {})}
        else:
            payload["data"] = self._command_data(name, options or {}, subcommand, gid, kind, focused)
        reply = self.replies[iid] = InteractionReply(self, payload)
        sessions = self._live_sessions(gid)
        if not sessions:
            raise RuntimeError(f"emulator: no bot session is connected for guild {gid}")
        await sessions[0].send(0, payload, "INTERACTION_CREATE")
        if wait:
            what = f"the bot's answer to interaction {name or custom_id!r}"
            await self.wait_until(lambda: reply.type is not None and not reply.loading, timeout, what)
        return reply

    def _command_data(self, name: str, options: Mapping[str, Any], subcommand: str | None, gid: int,
                      kind: int, focused: str | None) -> JSONDict:
        cmd = self.command(name, gid) or {}
        schema, path = cmd.get("options", []), subcommand.split() if subcommand else []
        for part in path:
            schema = next((o.get("options", []) for o in schema if o["name"] == part), [])
        types = {o["name"]: o["type"] for o in schema}
        if kind == AUTOCOMPLETE and focused is None and options:
            focused = list(options)[-1]
        leaf: list[JSONDict] = []
        resolved: JSONDict = {}
        for opt, value in options.items():
            otype = types.get(opt) or (5 if isinstance(value, bool) else 4 if isinstance(value, int) else
                                       10 if isinstance(value, float) else 3)
            if opt == focused:  # Discord sends what the user has typed so far
                leaf.append({"name": opt, "type": otype, "value": str(value), "focused": True})
                continue
            leaf.append({"name": opt, "type": otype, "value": _coerce(otype, value)})
            if otype == 11:  # attachments: the option holds an id, the file is in data.resolved
                attachment = self._attachments[int(leaf[-1]["value"])]
                resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            if otype == 7:  # discord.py builds channel arguments from data.resolved
                c = self.channels.get(int(leaf[-1]["value"])) or Channel(int(leaf[-1]["value"]), gid, "unknown")
                resolved.setdefault("channels", {})[str(c.id)] = {**self._channel_dict(c),
                                                                  "permissions": str(EVERYONE_PERMS)}
        for depth, part in reversed(list(enumerate(path))):
            leaf = [{"name": part, "type": 1 if depth == len(path) - 1 else 2, "options": leaf}]
        data: JSONDict = {"id": cmd.get("id", str(self._snowflake())), "name": name, "type": 1, "options": leaf}
        if cmd.get("guild_id"):  # tells discord.py to look among its guild commands
            data["guild_id"] = cmd["guild_id"]
        return {**data, "resolved": resolved} if resolved else data

    # ---- REST --------------------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        if not request.path.startswith(API):
            return await handler(request)
        path = request.path.removeprefix(API)
        self.requests.append((request.method, path))
        for rl in self._rate_limits:
            if rl.remaining > 0 and rl.method in ("*", request.method) and fnmatch(path, rl.path):
                rl.remaining -= 1
                self.rate_limited.append((request.method, path))
                body = {"message": "You are being rate limited.", "retry_after": rl.retry_after, "global": rl.is_global}
                headers = {"Via": "1.1 google", "Retry-After": str(max(1, round(rl.retry_after))),
                           "X-RateLimit-Scope": "global" if rl.is_global else "user"}
                return _json(body, 429, headers)
        return await handler(request)

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unknown_routes.append(f"{request.method} {request.path}")
        log.warning("emulator: unknown route %s %s", request.method, request.path)
        return _error(404, "Unknown", 0)

    async def _me(self, request: web.Request) -> web.Response:
        return _json({**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False})

    async def _gateway_url(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit})

    async def _app_info(self, request: web.Request) -> web.Response:
        return _json({"id": str(self.app_id), "name": self.bot_user.name, "icon": None, "description": "",
                      "bot_public": True, "bot_require_code_grant": False, "owner": self.admin.to_dict(),
                      "verify_key": "0" * 64, "flags": 0, "team": None, "bot": self.bot_user.to_dict()})

    async def _app_commands(self, request: web.Request) -> web.Response:
        """GET or PUT (bulk overwrite) global / guild commands; ids stay stable per name."""
        gid = request.match_info.get("gid")
        key = int(gid) if gid else None
        if request.match_info["app"] != str(self.app_id):
            return _error(404, "Unknown Application", 10002)
        if key is not None and key not in self.guilds:
            return _error(403, "Missing Access", 50001)
        if request.method == "PUT":
            old = {c["name"]: c["id"] for c in self.commands.get(key, [])}
            body, _ = await self._read_body(request)
            self.commands[key] = [
                {"type": 1, "description": "", "options": [], "default_member_permissions": None, "nsfw": False,
                 **c, "id": old.get(c["name"]) or str(self._snowflake()), "application_id": str(self.app_id),
                 "version": str(self._snowflake()), **({"guild_id": gid} if gid else {})} for c in body]
            self._notify()
        elif request.method != "GET":
            return await self._unknown(request)
        return _json(self.commands.get(key, []))

    async def _callback(self, request: web.Request) -> web.Response:
        """POST /interactions/{id}/{token}/callback?with_response=1 -> {"interaction", "resource"}."""
        reply = self.replies.get(int(request.match_info["iid"]))
        if reply is None or reply.token != request.match_info["token"]:
            return _error(404, "Unknown interaction", 10062)
        if reply.type is not None:
            return _error(400, "Interaction has already been acknowledged.", 40060)
        if time.monotonic() - reply.created > ACK_DEADLINE:
            self.late.append(reply)
            return _error(404, "Unknown interaction", 10062)
        body, files = await self._read_body(request)
        ctype, data = int(body["type"]), body.get("data") or {}
        msg: JSONDict | None = None
        if ctype in (4, 5):  # a new message; deferred ones show "thinking" (LOADING) until edited
            flags = int(data.get("flags") or 0) | (LOADING if ctype == 5 else 0)
            msg = self._new_message(int(reply.payload["channel_id"]), {**data, "flags": flags}, files, reply)
        elif ctype in (6, 7) and "message" in reply.payload:  # the message the component is on
            msg = self._messages.get(int(reply.payload["message"]["id"]), reply.payload["message"])
            if ctype == 7:
                _edit(msg, data, files)
        reply.type, reply.data, reply.message = ctype, data, msg
        reply.history.append(("callback", body))
        self._notify()
        inter: JSONDict = {"id": str(reply.id), "type": reply.payload["type"]}
        if msg is not None:
            inter.update(response_message_id=msg["id"], response_message_loading=ctype == 5,
                         response_message_ephemeral=bool(msg["flags"] & EPHEMERAL))
        return _json({"interaction": inter, "resource": {"type": ctype, **({"message": msg} if msg else {})}})

    def _reply_for(self, request: web.Request) -> InteractionReply | None:
        if request.match_info["app"] != str(self.app_id):
            return None
        return next((r for r in self.replies.values() if r.token == request.match_info["token"]), None)

    async def _followup(self, request: web.Request) -> web.Response:
        reply = self._reply_for(request)
        if reply is None or reply.type is None:
            return _error(404, "Unknown Webhook", 10015)
        body, files = await self._read_body(request)
        reply.history.append(("followup", body))
        if reply.loading and reply.message is not None:  # as on Discord: fills the "thinking" message
            _edit(reply.message, body, files)
            msg = reply.message
        else:
            msg = self._new_message(int(reply.payload["channel_id"]), body, files, reply)
            reply.followups.append(msg)
        self._notify()
        return _json(msg)

    async def _webhook_message(self, request: web.Request) -> web.Response:
        """GET / PATCH / DELETE /webhooks/{app}/{token}/messages/{@original | id}."""
        reply = self._reply_for(request)
        mid = request.match_info["mid"]
        msg = None if reply is None else reply.message if mid == "@original" else self._messages.get(int(mid))
        if reply is None or msg is None:
            return _error(404, "Unknown Message", 10008)
        if request.method == "PATCH":
            body, files = await self._read_body(request)
            _edit(msg, body, files)
            reply.history.append(("edit", body))
        elif request.method == "DELETE":
            msg["deleted"] = True
            chan_log = self._channel_log.get(int(msg["channel_id"]), [])
            chan_log[:] = [m for m in chan_log if m is not msg]
            reply.history.append(("delete", {}))
            self._notify()
            return web.Response(status=204)
        elif request.method != "GET":
            return await self._unknown(request)
        self._notify()
        return _json(msg)

    def _channel_or_error(self, request: web.Request) -> Channel | web.Response:
        ch = self.channels.get(int(request.match_info["cid"]))
        if ch is None or ch.state == "deleted":
            return _error(404, "Unknown Channel", 10003)
        return _error(403, "Missing Access", 50001) if ch.state == "forbidden" else ch

    async def _get_channel(self, request: web.Request) -> web.Response:
        ch = self._channel_or_error(request)
        return ch if isinstance(ch, web.Response) else _json(self._channel_dict(ch))

    async def _channel_messages(self, request: web.Request) -> web.Response:
        """GET recent messages (newest first), or POST one, honouring nonce + enforce_nonce."""
        ch = self._channel_or_error(request)
        if isinstance(ch, web.Response):
            return ch
        if request.method == "GET":
            q = request.query
            msgs = [m for m in self._channel_log.get(ch.id, [])
                    if int(q.get("after", 0)) < int(m["id"]) < int(q.get("before", 1 << 63))]
            limit = int(q.get("limit", 50))
            # like Discord: 'after' alone pages forward from it, anything else back from the newest
            page = msgs[:limit] if "after" in q and "before" not in q else msgs[-limit:]
            return _json(page[::-1])
        if request.method != "POST":
            return await self._unknown(request)
        body, files = await self._read_body(request)
        key = (ch.id, str(body.get("nonce")))
        if body.get("enforce_nonce") and key in self._nonces and time.monotonic() - self._nonces[key][0] < NONCE_WINDOW:
            return _json(self._nonces[key][1])  # the earlier message, not a duplicate
        msg = self._new_message(ch.id, body, files, None)
        if body.get("nonce") is not None:
            self._nonces[key] = (time.monotonic(), msg)
        self._notify()
        return _json(msg)

    async def _get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}, /guilds/{id}/channels and /guilds/{id}/members/{uid}."""
        gid = int(request.match_info["gid"])
        if gid not in self.guilds:
            return _error(404, "Unknown Guild", 10004)
        if "uid" in request.match_info:
            u = self.users.get(int(request.match_info["uid"]))
            return _json(self._member_dict(u, gid)) if u else _error(404, "Unknown Member", 10007)
        if request.path.endswith("/channels"):
            return _json([self._channel_dict(c) for c in self._guild_channels(gid)])
        return _json(self._guild_dict(gid, full=False))

    # ---- payloads -------------------------------------------------------------------------------
    def _snowflake(self) -> int:
        self._counter += 1
        return ((int(time.time() * 1000) - DISCORD_EPOCH) << 22) | (self._counter & 0x3FFFFF)

    def _guild_channels(self, gid: int) -> list[Channel]:
        return [c for c in self.channels.values() if c.guild_id == gid and c.state != "deleted"]

    def _member_dict(self, u: User, gid: int) -> JSONDict:
        roles = [str(gid * 10 + 1)] if u.admin else [str(gid * 10 + 2)] if u.bot else []
        return {"user": u.to_dict(), "roles": roles, "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False,
                "mute": False, "flags": 0, "pending": False, "nick": None, "avatar": None, "premium_since": None,
                "communication_disabled_until": None}

    def _channel_dict(self, ch: Channel) -> JSONDict:
        hidden = [{"id": str(self.app_id), "type": 1, "allow": "0", "deny": str(VIEW_CHANNEL)}]
        return {"id": str(ch.id), "type": ch.type, "guild_id": str(ch.guild_id), "name": ch.name,
                "position": ch.position, "parent_id": None, "topic": None, "nsfw": False, "rate_limit_per_user": 0,
                "last_message_id": None, "flags": 0, "permission_overwrites": hidden if ch.state == "forbidden" else []}

    def _guild_dict(self, gid: int, *, full: bool) -> JSONDict:
        def role(rid: int, name: str, perms: int, pos: int) -> JSONDict:
            return {"id": str(rid), "name": name, "permissions": str(perms), "position": pos, "color": 0,
                    "hoist": False, "managed": rid % 10 == 2, "mentionable": False, "flags": 0}
        roles = [role(gid, "@everyone", EVERYONE_PERMS, 0), role(gid * 10 + 1, "Admins", ADMIN_PERMS, 1),
                 role(gid * 10 + 2, self.bot_user.name, EVERYONE_PERMS, 2)]
        d: JSONDict = {"id": str(gid), "name": self.guilds[gid], "icon": None, "owner_id": str(self.admin.id),
                       "roles": roles, "emojis": [], "stickers": [], "features": [], "preferred_locale": "en-US",
                       "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
                       "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0, "afk_timeout": 300}
        if full:  # GUILD_CREATE
            d.update(unavailable=False, large=False, member_count=len(self.users),
                     joined_at="2024-01-01T00:00:00+00:00",
                     channels=[self._channel_dict(c) for c in self._guild_channels(gid)], threads=[], presences=[],
                     members=[self._member_dict(u, gid) for u in self.users.values()], voice_states=[],
                     stage_instances=[], guild_scheduled_events=[], soundboard_sounds=[])
        return d

    def _new_message(self, channel_id: int, body: JSONDict, files: list[JSONDict],
                     reply: InteractionReply | None) -> JSONDict:
        """Store a message (the request's allowed_mentions kept too, for assertions)."""
        mid = self._snowflake()
        msg: JSONDict = {
            "id": str(mid), "channel_id": str(channel_id), "author": self.bot_user.to_dict(), "content": "",
            "timestamp": _now(), "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "components": [], "pinned": False, "type": 0,
            "flags": 0, "nonce": body.get("nonce"),
        }
        if channel_id in self.channels:
            msg["guild_id"] = str(self.channels[channel_id].guild_id)
        _edit(msg, body, files, initial=True)
        if reply is not None:
            p = reply.payload
            msg.update(type=20 if p["type"] == APPLICATION_COMMAND else 0, webhook_id=str(self.app_id),
                       application_id=str(self.app_id), interaction_metadata={
                           "id": p["id"], "type": p["type"], "user": p["member"]["user"],
                           "authorizing_integration_owners": p["authorizing_integration_owners"]})
        self._messages[mid] = msg
        if not msg["flags"] & EPHEMERAL:
            self._channel_log.setdefault(channel_id, []).append(msg)
        return msg

    async def _read_body(self, request: web.Request) -> tuple[Any, list[JSONDict]]:
        """A JSON body, or multipart ``payload_json`` + ``files[n]`` (what discord.py sends with files);
        each file is kept on the CDN and returned as the attachment object Discord would list."""
        if not request.content_type.startswith("multipart/"):
            raw = await request.read()
            return (json.loads(raw) if raw else {}), []
        body: Any = {}
        files: list[JSONDict] = []
        async for part in await request.multipart():
            if part.name == "payload_json":
                body = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                files.append(self._store_file(part.filename or "file", await part.read()))  # type: ignore[union-attr]
        return body, files

    def _store_file(self, filename: str, data: bytes) -> JSONDict:
        aid = self._snowflake()
        self._cdn[aid] = data
        url = f"{self.cdn_base}/attachments/{aid}/{quote(filename, safe='')}?ex=0&is=0&hm=0"
        attachment: JSONDict = {"id": str(aid), "filename": filename, "size": len(data), "url": url, "proxy_url": url}
        content_type = mimetypes.guess_type(filename)[0]  # Discord labels by name; the bot must not trust it
        if content_type:
            attachment["content_type"] = content_type
        self._attachments[aid] = attachment
        return attachment

    async def _cdn_file(self, request: web.Request) -> web.Response:
        data = self._cdn.get(int(request.match_info["aid"]))
        if data is None:
            return web.Response(status=404, text="This content is no longer available.")
        return web.Response(body=data, content_type="application/octet-stream")

    # ---- waiting -------------------------------------------------------------------------------
    def _notify(self) -> None:
        """Wake every ``wait_until`` (each re-checks its own condition)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, pred: Callable[[], bool], timeout: float = 3.0, what: str = "a condition") -> None:
        """Wait until ``pred()`` holds; it is re-checked whenever the emulator records something."""
        try:
            async with asyncio.timeout(timeout):
                while not pred():
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(f"emulator: timed out after {timeout}s waiting for {what} "
                               f"(unknown routes so far: {self.unknown_routes})") from None


def _walk(components: list[JSONDict]) -> list[JSONDict]:
    """Components depth-first (action rows contain buttons and selects)."""
    return [x for c in components for x in [c, *_walk(c.get("components", []))]]


def _coerce(otype: int, value: Any) -> Any:
    """A test's option value as Discord sends it for that option type."""
    if otype == 4:
        return int(value)
    if otype == 10:
        return float(value)
    if otype == 5:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    if isinstance(value, Mapping):  # an attachment object from ``DiscordEmulator.upload``
        return str(value["id"])
    return str(getattr(value, "id", value))  # strings and snowflakes (user, channel, role, ...)


def _edit(msg: JSONDict, body: JSONDict, files: list[JSONDict], *, initial: bool = False) -> None:
    """Apply a create/edit body to a stored message: keeps the ephemeral flag, clears "loading"."""
    for k in ("content", "embeds", "components", "allowed_mentions", "poll"):
        if body.get(k) is not None:
            msg[k] = body[k]
    if body.get("flags") is not None:
        msg["flags"] = int(body["flags"]) | (0 if initial else msg["flags"] & EPHEMERAL)
    if not initial:
        msg["flags"] &= ~LOADING
        msg["edited_timestamp"] = _now()
    if "attachments" in body or files:
        keep = {str(a.get("id")) for a in body.get("attachments") or []}
        msg["attachments"] = [a for a in msg["attachments"] if a["id"] in keep] + files
