package io.herald.broker.artemis;

import io.herald.broker.BrokerFlavour;
import io.herald.broker.BrokerTopology;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * ActiveMQ Artemis, embedded or external. Queues are declared through Artemis' management API, spoken over the same
 * AMQP 1.0 connection (requests to {@code activemq.management}, answers on a temporary reply queue), so the embedded
 * and an external Artemis are handled by one code path. Each queue is an ANYCAST queue on an address of its own name;
 * its address settings send messages a consumer rejects to the dead-letter queue.
 */
public class ArtemisTopology implements BrokerTopology {
    static final String MANAGEMENT_ADDRESS = "activemq.management";

    @Override
    public BrokerFlavour flavour() {
        return BrokerFlavour.ARTEMIS;
    }

    @Override
    public String address(String queue) {
        return queue;
    }

    @Override
    public Future<Void> declareQueue(AmqpConnection connection, String queue) {
        String deadLetterQueue = BrokerTopology.deadLetterQueue(queue);
        List<ManagementCall> calls = List.of(
                new ManagementCall("createQueue", new JsonArray().add(queueConfiguration(deadLetterQueue).encode()).add(true)),
                new ManagementCall("addAddressSettings", new JsonArray().add(queue).add(new JsonObject()
                        .put("deadLetterAddress", deadLetterQueue)
                        .put("maxDeliveryAttempts", MAX_DELIVERY_ATTEMPTS)
                        .put("autoCreateDeadLetterResources", false)
                        .encode())),
                new ManagementCall("createQueue", new JsonArray().add(queueConfiguration(queue).encode()).add(true)));
        return connection.createDynamicReceiver().compose(replies -> connection.createSender(MANAGEMENT_ADDRESS)
                .compose(requests -> invokeAll(requests, replies, calls)
                        .eventually(() -> requests.close()))
                .eventually(() -> replies.close()));
    }

    private static JsonObject queueConfiguration(String queue) {
        return new JsonObject()
                .put("name", queue)
                .put("address", queue)
                .put("routing-type", "ANYCAST")
                .put("durable", true);
    }

    private Future<Void> invokeAll(AmqpSender requests, AmqpReceiver replies, List<ManagementCall> calls) {
        List<ManagementCall> remaining = new ArrayList<>(calls);
        Promise<Void> done = Promise.promise();
        replies.handler(reply -> {
            ManagementCall call = remaining.get(0);
            Boolean succeeded = reply.applicationProperties() == null ? null
                    : reply.applicationProperties().getBoolean("_AMQ_OperationSucceeded");
            if (!Boolean.TRUE.equals(succeeded)) {
                done.tryFail(new IllegalStateException("Artemis refused " + call.operation() + ": " + reply.bodyAsString()));
                return;
            }
            remaining.remove(0);
            if (remaining.isEmpty()) {
                done.tryComplete();
            } else {
                send(requests, replies, remaining.get(0));
            }
        });
        send(requests, replies, remaining.get(0));
        return done.future();
    }

    private void send(AmqpSender requests, AmqpReceiver replies, ManagementCall call) {
        requests.send(AmqpMessage.create()
                .replyTo(replies.address())
                .applicationProperties(new JsonObject()
                        .put("_AMQ_ResourceName", "broker")
                        .put("_AMQ_OperationName", call.operation()))
                .withBody(call.arguments().encode())
                .build());
    }

    private record ManagementCall(String operation, JsonArray arguments) {
    }
}
