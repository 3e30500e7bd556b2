-- Users' data: never dropped by a re-ingest; migrated forward only.
CREATE TABLE guild_settings(
    guild_id INTEGER PRIMARY KEY,
    timezone TEXT NOT NULL
);
CREATE TABLE subscriptions(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('on-this-day', 'weekly')),
    time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    weekday INTEGER,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    paused_reason TEXT
);
CREATE INDEX subscriptions_guild ON subscriptions(guild_id);
-- One row per (subscription, local date): the claim, then the outcome.
CREATE TABLE deliveries(
    subscription_id INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
    holder TEXT,
    lease_until TEXT,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    message_id INTEGER,
    detail TEXT,
    PRIMARY KEY (subscription_id, local_date)
);
CREATE TABLE featured_quotes(
    channel_id INTEGER NOT NULL,
    quote_key TEXT NOT NULL,
    posted_on TEXT NOT NULL,
    PRIMARY KEY (channel_id, quote_key)
);
