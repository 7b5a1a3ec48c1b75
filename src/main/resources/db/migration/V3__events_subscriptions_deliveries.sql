-- The event store: append-only, range-partitioned by acceptance day so retention drops whole partitions.
create table events (
    id                varchar(40)  not null,
    topic             varchar(200) not null,
    ce_id             varchar(255) not null,
    source            varchar(1024) not null,
    type              varchar(255) not null,
    subject           varchar(1024),
    time              timestamptz,
    data_content_type varchar(255) not null,
    data              text         not null,
    schema_version    integer,
    extensions        jsonb,
    accepted_at       timestamptz  not null,
    primary key (id, accepted_at)
) partition by range (accepted_at);

-- Catches rows outside the prepared daily partitions, so an insert never fails for want of a partition.
create table events_default partition of events default;

create index events_topic_accepted on events (topic, accepted_at desc, id desc);
create index events_accepted on events (accepted_at desc, id desc);
create index events_topic_type_accepted on events (topic, type, accepted_at desc);
create index events_topic_subject_accepted on events (topic, subject, accepted_at desc) where subject is not null;
create index events_id on events (id);

-- Creates the daily partitions from today - 1 to today + days_ahead (UTC) if missing.
create or replace function herald_ensure_event_partitions(days_ahead integer) returns void
language plpgsql as $$
declare
    day date;
    name text;
begin
    for day in select generate_series((now() at time zone 'utc')::date - 1, (now() at time zone 'utc')::date + days_ahead, interval '1 day')::date
    loop
        name := 'events_' || to_char(day, 'YYYYMMDD');
        if to_regclass(name) is null then
            execute format('create table %I partition of events for values from (%L) to (%L)',
                           name, (day::timestamp at time zone 'utc'), ((day + 1)::timestamp at time zone 'utc'));
        end if;
    end loop;
end;
$$;

select herald_ensure_event_partitions(2);

-- Idempotency: (source, ce_id) seen within the dedup window, and the payload it carried.
create table event_keys (
    source       varchar(1024) not null,
    ce_id        varchar(255)  not null,
    event_id     varchar(40)   not null,
    payload_hash varchar(64)   not null,
    accepted_at  timestamptz   not null,
    primary key (source, ce_id)
);
create index event_keys_accepted on event_keys (accepted_at);

create table subscriptions (
    id                 varchar(40)   primary key,
    name               varchar(200),
    topic_pattern      varchar(200)  not null,
    kind               varchar(16)   not null check (kind in ('WEBHOOK', 'QUEUE')),
    state              varchar(16)   not null check (state in ('ACTIVE', 'PAUSED')),
    queue_name         varchar(255)  not null unique,
    filter             text,
    webhook_url        varchar(2048),
    webhook_secret     varchar(255),
    webhook_headers    text,
    webhook_timeout_ms integer,
    created_at         timestamptz   not null,
    updated_at         timestamptz   not null,
    version            bigint        not null default 0
);

-- One row per (event, subscription) the event was routed to: the outbox the relay drains into the broker.
create table deliveries (
    id                varchar(40)  primary key,
    event_id          varchar(40)  not null,
    event_accepted_at timestamptz  not null,
    subscription_id   varchar(40)  not null,
    state             varchar(16)  not null check (state in ('PENDING', 'QUEUED', 'DISCARDED')),
    created_at        timestamptz  not null,
    queued_at         timestamptz
);
create index deliveries_event on deliveries (event_id);
create index deliveries_subscription on deliveries (subscription_id, created_at);
create index deliveries_pending on deliveries (created_at) where state = 'PENDING';
