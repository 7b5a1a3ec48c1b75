-- A replay is a recorded job: its window, filter and pace, how far it has come (a keyset cursor over the events it
-- scanned) and which instance runs it (a lease). Progress and the deliveries it creates commit together, so a job that
-- an instance stops running is resumed by another, from where it stopped, without losing or repeating an event.
create table replays (
    id                 varchar(40)  primary key,
    subscription_id    varchar(40)  not null references subscriptions (id) on delete cascade,
    from_at            timestamptz  not null,
    to_at              timestamptz  not null,
    filter             text,
    rate_per_second    integer      not null,
    matched            integer      not null,
    done               integer      not null default 0,
    state              varchar(16)  not null check (state in ('RUNNING', 'DONE', 'FAILED')),
    cursor_accepted_at timestamptz,
    cursor_event_id    varchar(40),
    lease_owner        varchar(40),
    lease_until        timestamptz,
    error              text,
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null,
    finished_at        timestamptz
);
create index replays_running on replays (created_at) where state = 'RUNNING';
create index replays_subscription on replays (subscription_id, created_at desc);
