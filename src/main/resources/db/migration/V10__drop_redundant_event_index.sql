-- The primary key (id, accepted_at) already serves lookups by id (its leading column); a second index on id alone
-- cost every accepted event one more index insertion for nothing (found profiling ingest, issue 7).
drop index if exists events_id;
