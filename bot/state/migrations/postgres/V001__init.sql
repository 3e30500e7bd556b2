-- Users' data: never dropped by a re-ingest; migrated forward only.
CREATE TABLE guild_settings(
    guild_id BIGINT PRIMARY KEY,
    timezone TEXT NOT NULL
);
CREATE TABLE subscriptions(
    id BIGSERIAL PRIMARY KEY,
    guild_id BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('on-this-day', 'weekly')),
    time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    weekday SMALLINT,
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    paused_reason TEXT
);
CREATE INDEX subscriptions_guild ON subscriptions(guild_id);
-- One row per (subscription, local date): the claim, then the outcome.
CREATE TABLE deliveries(
    subscription_id BIGINT NOT NULL,
    local_date DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
    holder TEXT,
    lease_until TIMESTAMPTZ,
    due_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TIMESTAMPTZ,
    message_id BIGINT,
    detail TEXT,
    PRIMARY KEY (subscription_id, local_date)
);
CREATE TABLE featured_quotes(
    channel_id BIGINT NOT NULL,
    quote_key TEXT NOT NULL,
    posted_on DATE NOT NULL,
    PRIMARY KEY (channel_id, quote_key)
);
