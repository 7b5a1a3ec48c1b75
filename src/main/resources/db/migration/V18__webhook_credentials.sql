-- How Herald authenticates to a webhook endpoint besides signing: the settings that may be shown (basic username,
-- OAuth2 token URL and client id, mutual TLS certificates) and, sealed with AES-GCM by the application (HERALD_SECRETS_KEY),
-- the secrets that may not (password, token, client secret, private key).
alter table subscriptions add column webhook_auth jsonb;
alter table subscriptions add column webhook_credentials text;
