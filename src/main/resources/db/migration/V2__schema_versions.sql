-- Schema registry: immutable, numbered JSON Schema versions per topic. A soft-deleted version stays readable
-- (events that used it keep pointing at it) but is no longer "latest" nor checked for compatibility.
create table schema_versions (
    id          bigint generated always as identity primary key,
    topic       varchar(200) not null references topics (name) on delete cascade,
    version     integer      not null check (version > 0),
    dialect     varchar(32)  not null check (dialect in ('DRAFT_2020_12', 'DRAFT_07')),
    schema_text text         not null,
    fingerprint varchar(64)  not null,
    created_at  timestamptz  not null,
    deleted_at  timestamptz,
    unique (topic, version)
);

create index schema_versions_topic_fingerprint on schema_versions (topic, fingerprint);
