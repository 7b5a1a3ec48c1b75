-- Ordered delivery per key: a subscription may deliver events of one key one at a time in acceptance order. Each
-- unfinished delivery of an ordered subscription that has a key keeps a row here with its place in its key's line (seq,
-- taken under the key's advisory lock in the routing transaction, so seq order is commit order); the lowest seq of a
-- key is its head, the only one that may be attempted. A later one that arrives first waits (WAITING) until released.
-- A head taken by a lane for its attempt holds taken_until, so that a duplicate queue message of it is not attempted at
-- the same time; a head still unfinished when that passes (its instance died) is released to the retry pollers.
-- The rows live beside deliveries, not in it, so that no index of deliveries reads state (V12's in-place updates).
alter table subscriptions add column ordered boolean not null default false;
alter table subscriptions add column ordering_key text;
alter table deliveries drop constraint deliveries_state_check;
alter table deliveries add constraint deliveries_state_check
    check (state in ('PENDING', 'QUEUED', 'RETRYING', 'DELIVERED', 'EXHAUSTED', 'DISCARDED', 'SKIPPED', 'WAITING'));
create sequence ordered_deliveries_seq;
create table ordered_deliveries (
    delivery_id     varchar(40) primary key,
    subscription_id varchar(40) not null,
    ordering_key    text        not null,
    seq             bigint      not null,
    taken_until     timestamptz
);
create index ordered_deliveries_line on ordered_deliveries (subscription_id, ordering_key, seq);
