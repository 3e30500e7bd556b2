"""Prometheus metrics (served only when METRICS_PORT is set): commands, latency, deliveries."""
from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

COMMANDS = Counter("kuril_commands_total", "Slash commands answered", ["command", "outcome"])
LATENCY = Histogram("kuril_command_seconds", "From interaction to answer", ["command"],
                    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
DELIVERIES = Counter("kuril_deliveries_total", "Digest delivery outcomes", ["outcome"])


def serve(port: int) -> None:
    start_http_server(port)
