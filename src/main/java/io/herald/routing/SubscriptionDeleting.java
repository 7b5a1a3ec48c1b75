package io.herald.routing;

/**
 * Fired, synchronously, when a subscription about to be deleted has been paused and before its queue is deleted:
 * whatever on this instance reads the queue lets go of it now, and returns once it has. RabbitMQ 3.x's AMQP 1.0
 * plugin cannot handle a queue deleted under an attached receiver: it fails the whole session, and with it every
 * other link on Herald's connection.
 */
public record SubscriptionDeleting(String subscriptionId, String queue) {}
