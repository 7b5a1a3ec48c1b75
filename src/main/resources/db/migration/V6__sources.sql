-- Inbound webhook sources: third-party webhooks (GitHub, Stripe, Standard Webhooks, generic HMAC) verified by
-- signature and stored as events on a topic.
create table sources (
    id                      varchar(40)  primary key,
    name                    varchar(200),
    kind                    varchar(32)  not null check (kind in ('GITHUB', 'STRIPE', 'STANDARD_WEBHOOKS', 'HMAC')),
    topic                   varchar(200) not null references topics (name) on delete cascade,
    secret                  varchar(512) not null,
    previous_secret         varchar(512),
    previous_secret_expires timestamptz,
    hmac_header             varchar(100),
    hmac_algorithm          varchar(16)  check (hmac_algorithm in ('SHA256', 'SHA512')),
    hmac_encoding           varchar(16)  check (hmac_encoding in ('HEX', 'BASE64')),
    hmac_prefix             varchar(50),
    type_header             varchar(100),
    type_pointer            varchar(200),
    dedup_header            varchar(100),
    tolerance_seconds       integer      not null default 300,
    received                bigint       not null default 0,
    rejected                bigint       not null default 0,
    deduplicated            bigint       not null default 0,
    created_at              timestamptz  not null,
    updated_at              timestamptz  not null,
    version                 bigint       not null default 0
);
