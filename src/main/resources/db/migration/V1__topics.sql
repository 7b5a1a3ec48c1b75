-- Topics: named event streams. The name is the identity and appears in URLs, so it is the primary key.
create table topics (
    name              varchar(200) primary key,
    description       varchar(2000),
    owner             varchar(200),
    retention_seconds bigint       not null check (retention_seconds > 0),
    compatibility     varchar(32)  not null check (compatibility in ('NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE',
                                                    'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE')),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    version           bigint       not null default 0
);
