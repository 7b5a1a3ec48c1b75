package io.herald.delivery.sqs;

import io.herald.delivery.Endpoint;
import io.herald.routing.Subscription;

/** An SQS destination: its subscription, the connection's name, the queue URL and a FIFO queue's group key. */
public record SqsEndpoint(String subscriptionId, String connection, String queueUrl, String groupKey)
        implements Endpoint {
    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.SQS;
    }

    public boolean fifo() {
        return queueUrl.endsWith(".fifo");
    }
}
