-- Webhook delivery: attempts, retries scheduled in PostgreSQL, terminal states, secret rotation, endpoint health.
alter table deliveries drop constraint deliveries_state_check;
alter table deliveries add constraint deliveries_state_check
    check (state in ('PENDING', 'QUEUED', 'RETRYING', 'DELIVERED', 'EXHAUSTED', 'DISCARDED'));
alter table deliveries
    add column attempts        integer     not null default 0,
    add column next_attempt_at timestamptz,
    add column finished_at     timestamptz,
    add column replay          boolean     not null default false;
-- Due retries; next_attempt_at doubles as a lease while an instance attempts one.
create index deliveries_due on deliveries (next_attempt_at) where state = 'RETRYING';
create index deliveries_subscription_state on deliveries (subscription_id, state, created_at);

create table delivery_attempts (
    id               bigint generated always as identity primary key,
    delivery_id      varchar(40)  not null,
    attempted_at     timestamptz  not null,
    duration_ms      integer      not null,
    status_code      integer,
    outcome          varchar(16)  not null check (outcome in ('SUCCEEDED', 'FAILED')),
    error_class      varchar(32),
    error            varchar(1000),
    response_excerpt text,
    trigger          varchar(16)  not null check (trigger in ('SCHEDULED', 'MANUAL'))
);
create index delivery_attempts_delivery on delivery_attempts (delivery_id, attempted_at);

alter table subscriptions drop constraint subscriptions_state_check;
alter table subscriptions add constraint subscriptions_state_check check (state in ('ACTIVE', 'PAUSED', 'DISABLED'));
alter table subscriptions
    add column webhook_previous_secret         varchar(255),
    add column webhook_previous_secret_expires timestamptz,
    add column retry_schedule                  varchar(1000),
    add column max_in_flight                   integer,
    add column consecutive_failures            integer not null default 0,
    add column failing_since                   timestamptz,
    add column disabled_reason                 varchar(1000);
alter table subscriptions add column webhook_format varchar(32) not null default 'STANDARD_WEBHOOKS'
    check (webhook_format in ('STANDARD_WEBHOOKS', 'CLOUDEVENTS_BINARY', 'CLOUDEVENTS_STRUCTURED'));
