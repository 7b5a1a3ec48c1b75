package io.herald.delivery;

/** A subscription's destination settings, as one attempt needs them. */
public sealed interface Endpoint permits WebhookEndpoint {}
