-- A subscription's transformation (a JSONata expression applied to each event before delivery), and the final state of a
-- delivery its transformation chose to skip.
alter table subscriptions add column transformation text;
alter table deliveries drop constraint deliveries_state_check;
alter table deliveries add constraint deliveries_state_check
    check (state in ('PENDING', 'QUEUED', 'RETRYING', 'DELIVERED', 'EXHAUSTED', 'DISCARDED', 'SKIPPED'));
