-- Console: local accounts (bcrypt hashes in Modular Crypt Format) and per-minute flow figures for the dashboard.
create table console_accounts (
    username      varchar(64)  primary key,
    password_hash varchar(100) not null,
    role          varchar(16)  not null check (role in ('admin', 'operator', 'viewer')),
    created_at    timestamptz  not null
);

-- Each instance writes its own rows (its counts so far for the minute), so writes never contend across instances
-- and the dashboard sums instances. Topic rows carry accepted; subscription rows carry delivered, failed and an
-- end-to-end latency histogram (FlowStats.BUCKET_BOUNDS_MS).
create table flow_minutes (
    minute          timestamptz not null,
    instance_id     varchar(40) not null,
    topic           varchar(255) not null default '',
    subscription_id varchar(40) not null default '',
    accepted        bigint      not null default 0,
    delivered       bigint      not null default 0,
    failed          bigint      not null default 0,
    latency_buckets bigint[],
    primary key (minute, instance_id, topic, subscription_id)
);
