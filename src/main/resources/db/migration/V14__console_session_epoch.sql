-- A console session names the account's session epoch when it began; signing out (or a new password) moves the epoch
-- on, which ends every session cookie issued before, on every instance.
alter table console_accounts add column session_epoch bigint not null default 0;
