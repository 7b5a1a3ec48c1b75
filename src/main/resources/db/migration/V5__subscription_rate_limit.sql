-- Per-subscription cap on webhook deliveries per second (per instance); null means no cap.
alter table subscriptions add column max_per_second integer check (max_per_second is null or max_per_second > 0);
