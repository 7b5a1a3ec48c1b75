-- API keys for producers and scripts. Only a SHA-256 of the key is kept (keys carry 190 random bits, so a slow hash
-- adds nothing); lookup_id is the key's visible prefix, unique, found by index before the hash is compared.
create table api_keys (
    id             varchar(40)   primary key,
    lookup_id      varchar(16)   not null unique,
    key_hash       varchar(64)   not null,
    name           varchar(200)  not null,
    role           varchar(16)   check (role in ('admin', 'operator', 'publisher', 'viewer')),
    topic_patterns varchar(2000),
    created_at     timestamptz   not null,
    created_by     varchar(200),
    expires_at     timestamptz,
    revoked_at     timestamptz,
    last_used_at   timestamptz,
    check (role is not null or topic_patterns is not null)
);
