-- The relay's hand-off (ADR 0010): the instance that commits a group of deliveries sends them to the broker from memory
-- right after the commit, instead of reading them back from the outbox. Until its lease runs out, a delivery so leased
-- is that instance's to send; the outbox poller of every instance (its own included) skips it, and takes it once the
-- lease has expired (the instance died, or its send failed and it could not give the lease back). Null: no lease,
-- the poller's at once. Not indexed: only deliveries in flight carry a live lease, and the outbox index's rows are
-- read in order and filtered on it. No default, so adding it rewrites nothing.
alter table deliveries add column relay_lease_until timestamptz;
