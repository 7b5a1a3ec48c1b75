-- A subscription's deliveries are listed newest first by id (ids sort by time), with or without a state. The indexes
-- led with (subscription_id[, state], created_at), which cannot give that order, so PostgreSQL walked the primary key
-- backwards and filtered: a quiet subscription's page read every newer delivery of every other subscription first
-- (150-176 ms a page among a million deliveries, and growing with the table). Index the order the pages use; the
-- same two indexes otherwise, so recording a delivery costs the same. (The relay's claim does not join subscriptions
-- before its limit, so these indexes cannot lure it away from deliveries_pending.)
drop index if exists deliveries_subscription;
create index deliveries_subscription on deliveries (subscription_id, id);
drop index if exists deliveries_subscription_state;
create index deliveries_subscription_state on deliveries (subscription_id, state, id);
