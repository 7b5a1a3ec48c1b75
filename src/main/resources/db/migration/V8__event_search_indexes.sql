-- Event search by type or subject, with or without a topic, newest first: the (topic, type) and (topic, subject)
-- indexes left a search by type or subject alone scanning the whole store. A type or a subject usually belongs to
-- one topic, so leading with it serves both searches; same count of indexes, so ingest pays nothing more.
drop index if exists events_topic_type_accepted;
drop index if exists events_topic_subject_accepted;
create index events_type_accepted on events (type, accepted_at desc, id desc);
create index events_subject_accepted on events (subject, accepted_at desc, id desc) where subject is not null;
