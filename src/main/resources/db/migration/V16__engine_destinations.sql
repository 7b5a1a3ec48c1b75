-- Subscriptions delivered to an engine: NATS JetStream, Redis Streams, Kafka and SQS. Their settings are one JSON object (the
-- connection's name, the subject or stream); the retry schedule and lane limits keep their own columns, shared with
-- webhooks.
alter table subscriptions drop constraint subscriptions_kind_check;
alter table subscriptions add constraint subscriptions_kind_check check (kind in ('WEBHOOK', 'QUEUE', 'NATS', 'REDIS', 'KAFKA', 'SQS'));
alter table subscriptions add column destination jsonb;
